import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { auditRecordOf, journalInsert } from '../../../common/audit/audit-journal';
import { PreparedStatements } from '../../../database/prepared-statements';
import type { Actor } from '../../../common/auth/principal';
import type { PlannedOperation } from '../../mapping';
import type { AttemptOutcome, AttemptVia } from '../entities/write-attempt.entity';
import { WriteAttempt } from '../entities/write-attempt.entity';
import type { StoredResponse, Write, WriteKind, WritePayload, WriteStatus } from '../entities/write.entity';
import { Write as WriteEntity } from '../entities/write.entity';
import {
  WriteAttemptRecordedEvent,
  WriteFailedEvent,
  WriteReopenedEvent,
  type WriteRequestedDetails,
  WriteRequestedEvent,
  WritesEvents,
  WriteWrittenEvent,
} from '../events/writes.events';

export interface NewWrite {
  id: string;
  tenantId: string;
  callId: string;
  intent: string;
  kind: WriteKind;
  status: 'pending' | 'written';
  payload: WritePayload;
  operations: PlannedOperation[] | null;
  mapVersionId: string | null;
  mapVersion: number | null;
  notes: string[];
  idempotencyKey: string | null;
  requestHash: string | null;
  requestedByKeyId: string | null;
  response: StoredResponse | null;
}

/** The write a move concerns, and who moves it (the agent's key in a call, the worker later, an admin's replay). */
export interface WriteRef {
  id: string;
  tenantId: string;
  callId: string;
  intent: string;
  actor: Actor;
}

export interface AttemptRecord {
  operation: number;
  via: AttemptVia;
  outcome: AttemptOutcome;
  errorClass?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  durationMs: number;
  startedAt: Date;
}

/** A write as the worker reads it (WriteOutbox.withCallWrites). */
export type QueuedWrite = Pick<
  Write,
  | 'id'
  | 'tenantId'
  | 'callId'
  | 'intent'
  | 'kind'
  | 'status'
  | 'operations'
  | 'operationsDone'
  | 'recordIds'
  | 'notes'
  | 'payload'
  | 'createdAt'
>;

interface QueuedWriteRow {
  id: string;
  tenant_id: string;
  call_id: string;
  intent: string;
  kind: WriteKind;
  status: WriteStatus;
  operations: PlannedOperation[] | null;
  operations_done: number;
  record_ids: Record<string, string>;
  notes: string[];
  payload: WritePayload;
  created_at: Date;
}

/** What a move changes besides the status. */
export interface WriteChange {
  attempt?: AttemptRecord;
  /** Merged into the write's record ids. */
  recordIds?: Record<string, string>;
  operationsDone?: number;
  response?: StoredResponse;
  notes?: string[];
  /** A plan made after the write was requested (a completion's, a replay's). */
  plan?: { operations: PlannedOperation[] | null; mapVersionId: string | null; mapVersion: number | null };
  lastError?: { code: string; message: string } | null;
  /**
   * The operation just sent is no upsert (a Chatter post): sent again it would be doubled, so the move waits for
   * the WAL flush whatever MOVES says.
   */
  sentOnceOnly?: boolean;
}

/**
 * The write's state machine: each move names the statuses it may leave and the one it enters. A finished write
 * (written, dead) only ever moves again by an admin's replay.
 */
/**
 * `flush`: whether the move's commit waits until Postgres has flushed it to disk. The moves that follow a send
 * do not: were Postgres itself to crash in the fraction of a second before its WAL writer flushes them, the
 * move and its audit entries would vanish together, the write would be found unfinished by the stale-write
 * sweep and sent again as an upsert on the call's keys, which writes nothing twice (a Chatter post is no
 * upsert: the move after one waits, `WriteChange.sentOnceOnly`); the request itself
 * (`request`) always waits for the flush, so what was accepted is never lost. A dead write raises an alert and
 * a reopened one answers an admin, so those wait too.
 */
export const MOVES = {
  /** An operation done (or refused) and more to send. */
  progress: { from: ['pending', 'retrying'], to: 'pending', flush: false },
  retrying: { from: ['pending', 'retrying'], to: 'retrying', flush: false },
  written: { from: ['pending', 'retrying'], to: 'written', flush: false },
  dead: { from: ['pending', 'retrying'], to: 'dead', flush: true },
  reopened: { from: ['dead'], to: 'pending', flush: true },
} as const satisfies Record<string, { from: readonly WriteStatus[]; to: WriteStatus; flush: boolean }>;

/** What only the final moves say: the records a written write holds, why and after how many attempts it died. */
export type MoveOutcome =
  | { move: 'progress' | 'retrying'; change: WriteChange }
  | { move: 'written'; change: WriteChange; records: Record<string, string>; via: AttemptVia }
  | {
      move: 'dead';
      change: WriteChange;
      failure: { errorClass: string | null; errorCode: string; message: string };
      attempts: number;
    }
  | { move: 'reopened'; change: WriteChange };

export interface DomainEvent {
  name: string;
  payload: { tenantId: string; writeId: string; actor: Actor };
}

/**
 * The outbox: the only code that creates writes and changes their status. Each move is one statement that
 * changes the write, records its attempt and journals one audit entry per event it raises, so the change and its
 * audit entries commit together; the events are emitted once it has committed, and only if the write moved.
 */
@Injectable()
export class WriteOutbox {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statements: PreparedStatements,
    private readonly events: EventEmitter2,
  ) {}

  /** Records a requested write; false when the tenant already used this Idempotency-Key (nothing recorded). */
  async request(
    write: NewWrite,
    actor: Actor,
    details: Omit<WriteRequestedDetails, 'kind'>,
  ): Promise<boolean> {
    const event: DomainEvent = {
      name: WritesEvents.WriteRequested,
      payload: new WriteRequestedEvent(write.tenantId, write.id, actor, { ...details, kind: write.kind }),
    };
    const journal = journalInsert([auditOf(event)], 17, 'inserted');
    const rows = await this.statements.query<{ id: string }>(
      `WITH inserted AS (
         INSERT INTO writes (id, tenant_id, call_id, intent, kind, status, payload, operations, operations_done,
           map_version_id, map_version, notes, idempotency_key, request_hash, requested_by_key_id, response,
           written_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11, $12, $13, $14, $15,
           CASE WHEN $6::varchar = 'written' THEN $16::timestamptz END)
         ON CONFLICT ON CONSTRAINT writes_tenant_idempotency_key_unique DO NOTHING
         RETURNING id
       ), journal AS (${journal.sql})
       SELECT id FROM inserted`,
      [
        write.id,
        write.tenantId,
        write.callId,
        write.intent,
        write.kind,
        write.status,
        JSON.stringify(write.payload),
        write.operations ? JSON.stringify(write.operations) : null,
        write.mapVersionId,
        write.mapVersion,
        JSON.stringify(write.notes),
        write.idempotencyKey,
        write.requestHash,
        write.requestedByKeyId,
        write.response ? JSON.stringify(write.response) : null,
        new Date(),
        ...journal.params,
      ],
    );
    if (rows.length === 0) return false;
    this.emit([event]);
    return true;
  }

  /** Moves the write (see MOVES); false when its status does not allow the move (nothing changed). */
  async move(write: WriteRef, outcome: MoveOutcome): Promise<boolean> {
    const events = await this.moveWith((text, values) => this.statements.query(text, values), write, outcome);
    if (!events) return false;
    this.emit(events);
    return true;
  }

  /**
   * A dead write reopened for an admin's replay, with its new plan: in one transaction with `alongside` (the
   * dead letter's own bookkeeping), which can call the replay off by answering false. Its job is enqueued by
   * the caller (WriteQueue.requeue).
   */
  async reopen(
    write: WriteRef,
    change: WriteChange,
    alongside: (manager: EntityManager) => Promise<boolean>,
  ): Promise<boolean> {
    const events = await this.dataSource.transaction(async (manager) =>
      (await alongside(manager))
        ? this.moveWith((text, values) => manager.query(text, values), write, { move: 'reopened', change })
        : null,
    );
    if (!events) return false;
    this.emit(events);
    return true;
  }

  /** Runs the move's one statement; the events to emit once it is committed, or null when the write did not move. */
  private async moveWith(
    query: (text: string, values: unknown[]) => Promise<Array<{ id: string }>>,
    write: WriteRef,
    outcome: MoveOutcome,
  ): Promise<DomainEvent[] | null> {
    const statement = moveStatement(write, outcome);
    const rows = await query(statement.text, statement.values);
    return rows.length === 0 ? null : statement.events;
  }

  findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<Write | null> {
    return this.dataSource.getRepository(WriteEntity).findOneBy({ tenantId, idempotencyKey });
  }

  findById(writeId: string): Promise<Write | null> {
    return this.dataSource.getRepository(WriteEntity).findOneBy({ id: writeId });
  }

  findForTenant(tenantId: string, writeId: string): Promise<Write | null> {
    return this.dataSource.getRepository(WriteEntity).findOneBy({ id: writeId, tenantId });
  }

  /**
   * What the worker needs of a write and, for a completion, of every other write of its call (oldest first):
   * one prepared statement, the columns used, and of the other writes' payloads only the records they knew.
   */
  async withCallWrites(writeId: string): Promise<QueuedWrite[]> {
    const rows = await this.statements.query<QueuedWriteRow>(
      `SELECT w.id, w.tenant_id, w.call_id, w.intent, w.kind, w.status, w.operations, w.operations_done,
         w.record_ids, w.notes, w.created_at,
         CASE WHEN w.id = me.id THEN w.payload ELSE jsonb_build_object('records', w.payload -> 'records') END
           AS payload
       FROM writes me JOIN writes w ON w.tenant_id = me.tenant_id AND w.call_id = me.call_id
         AND (w.id = me.id OR me.kind = 'completion')
       WHERE me.id = $1
       ORDER BY w.created_at`,
      [writeId],
    );
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      callId: row.call_id,
      intent: row.intent,
      kind: row.kind,
      status: row.status,
      operations: row.operations,
      operationsDone: row.operations_done,
      recordIds: row.record_ids,
      notes: row.notes,
      payload: row.payload,
      createdAt: row.created_at,
    }));
  }

  /** The tenant's newest writes (the console's "recent writes"), optionally of one status. */
  recentForTenant(tenantId: string, options: { status?: WriteStatus; limit: number }): Promise<Write[]> {
    return this.dataSource.getRepository(WriteEntity).find({
      where: { tenantId, ...(options.status ? { status: options.status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: options.limit,
    });
  }

  attemptsOf(writeId: string): Promise<WriteAttempt[]> {
    return this.dataSource
      .getRepository(WriteAttempt)
      .find({ where: { writeId }, order: { startedAt: 'ASC', id: 'ASC' } });
  }

  /** Unfinished writes untouched for `graceMs` (the stale-write sweep re-enqueues those Redis lost). */
  staleUnfinished(graceMs: number, limit: number): Promise<Array<{ id: string; tenant_id: string }>> {
    return this.dataSource.query(
      `SELECT id, tenant_id FROM writes
       WHERE status IN ('pending', 'retrying') AND updated_at < now() - make_interval(secs => $1::float / 1000)
       ORDER BY updated_at LIMIT ${Number(limit)}`,
      [graceMs],
    );
  }

  private emit(events: DomainEvent[]): void {
    for (const event of events) this.events.emit(event.name, event.payload);
  }
}

/**
 * The move as one statement: the write's new state, its attempt and one audit entry per event, all or nothing;
 * it answers the write's id when the write was in a status the move may leave. A move that need not wait for
 * the WAL flush (MOVES, unless `sentOnceOnly`) turns `synchronous_commit` off for its own transaction only
 * (set_config, local).
 */
export function moveStatement(
  write: WriteRef,
  outcome: MoveOutcome,
): { text: string; values: unknown[]; events: DomainEvent[] } {
  const { to, from } = MOVES[outcome.move];
  const { change } = outcome;
  const flush = MOVES[outcome.move].flush || change.sentOnceOnly === true;
  const events = eventsOf(write, outcome);
  const params: unknown[] = [
    write.id,
    to,
    [...from],
    JSON.stringify(change.recordIds ?? {}),
    change.operationsDone ?? null,
    change.response ? JSON.stringify(change.response) : null,
    change.notes ? JSON.stringify(change.notes) : null,
    change.lastError === undefined ? null : (change.lastError?.code ?? null),
    change.lastError === undefined ? null : (change.lastError?.message ?? null),
    change.lastError !== undefined,
    change.plan !== undefined,
    change.plan?.operations ? JSON.stringify(change.plan.operations) : null,
    change.plan?.mapVersionId ?? null,
    change.plan?.mapVersion ?? null,
  ];
  const attempt = change.attempt;
  let attemptSql = '';
  if (attempt) {
    const at = params.length + 1;
    attemptSql = `, attempt AS (
      INSERT INTO write_attempts (write_id, tenant_id, operation, via, outcome, error_class, error_code,
        error_message, duration_ms, started_at)
      SELECT $1, tenant_id, $${at}, $${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6},
        $${at + 7} FROM changed)`;
    params.push(
      attempt.operation,
      attempt.via,
      attempt.outcome,
      attempt.errorClass ?? null,
      attempt.errorCode ?? null,
      attempt.errorMessage ?? null,
      Math.round(attempt.durationMs),
      attempt.startedAt,
    );
  }
  const journal = journalInsert(events.map(auditOf), params.length + 1, 'changed');
  params.push(...journal.params);
  const text = `WITH changed AS (
       UPDATE writes SET
         status = $2,
         record_ids = record_ids || $4::jsonb,
         operations_done = COALESCE($5, operations_done),
         response = COALESCE($6::jsonb, response),
         notes = COALESCE($7::jsonb, notes),
         last_error_code = CASE WHEN $10 THEN $8 ELSE last_error_code END,
         last_error_message = CASE WHEN $10 THEN $9 ELSE last_error_message END,
         operations = CASE WHEN $11 THEN $12::jsonb ELSE operations END,
         map_version_id = CASE WHEN $11 THEN $13::uuid ELSE map_version_id END,
         map_version = CASE WHEN $11 THEN $14::int ELSE map_version END,
         written_at = CASE WHEN $2::varchar = 'written' THEN now() ELSE written_at END,
         updated_at = now()
       WHERE id = $1 AND status = ANY($3::varchar[])
       RETURNING id, tenant_id
     )${attemptSql}, journal AS (${journal.sql})
     SELECT id${flush ? '' : ", set_config('synchronous_commit', 'off', true)"} FROM changed`;
  return { text, values: params, events };
}

/** The events a move raises, in order: the attempt (if any), then the final state (if it is one). */
function eventsOf(write: WriteRef, outcome: MoveOutcome): DomainEvent[] {
  const events: DomainEvent[] = [];
  const { attempt } = outcome.change;
  if (attempt) {
    events.push({
      name: WritesEvents.AttemptRecorded,
      payload: new WriteAttemptRecordedEvent(write.tenantId, write.id, write.actor, {
        callId: write.callId,
        intent: write.intent,
        operation: attempt.operation,
        via: attempt.via,
        outcome: attempt.outcome,
        errorClass: attempt.errorClass ?? null,
        errorCode: attempt.errorCode ?? null,
        message: attempt.errorMessage ?? null,
        durationMs: Math.round(attempt.durationMs),
      }),
    });
  }
  if (outcome.move === 'written') {
    events.push({
      name: WritesEvents.WriteWritten,
      payload: new WriteWrittenEvent(write.tenantId, write.id, write.actor, {
        callId: write.callId,
        intent: write.intent,
        via: outcome.via,
        records: outcome.records,
      }),
    });
  } else if (outcome.move === 'dead') {
    events.push({
      name: WritesEvents.WriteFailed,
      payload: new WriteFailedEvent(write.tenantId, write.id, write.actor, {
        callId: write.callId,
        intent: write.intent,
        ...outcome.failure,
        attempts: outcome.attempts,
      }),
    });
  } else if (outcome.move === 'reopened') {
    events.push({
      name: WritesEvents.WriteReopened,
      payload: new WriteReopenedEvent(write.tenantId, write.id, write.actor, {
        callId: write.callId,
        intent: write.intent,
        mapVersion: outcome.change.plan?.mapVersion ?? null,
      }),
    });
  }
  return events;
}

function auditOf(event: DomainEvent) {
  return auditRecordOf(event.name, { type: 'write', id: event.payload.writeId }, { ...event.payload });
}

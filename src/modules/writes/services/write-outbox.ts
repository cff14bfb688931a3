import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { PlannedOperation } from '../../mapping';
import type { AttemptOutcome, AttemptVia } from '../entities/write-attempt.entity';
import { WriteAttempt } from '../entities/write-attempt.entity';
import type { StoredResponse, Write, WriteKind, WritePayload, WriteStatus } from '../entities/write.entity';
import { Write as WriteEntity } from '../entities/write.entity';

export interface NewWrite {
  id: string;
  tenantId: string;
  callId: string;
  intent: string;
  kind: WriteKind;
  status: WriteStatus;
  payload: WritePayload;
  operations: PlannedOperation[] | null;
  operationsDone?: number;
  mapVersionId: string | null;
  mapVersion: number | null;
  notes: string[];
  idempotencyKey: string | null;
  requestHash: string | null;
  requestedByKeyId: string | null;
  response: StoredResponse | null;
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

export interface WriteProgress {
  status: WriteStatus;
  /** Merged into the write's record ids. */
  recordIds?: Record<string, string>;
  operationsDone?: number;
  response?: StoredResponse;
  notes?: string[];
  lastError?: { code: string; message: string } | null;
}

/**
 * The outbox's SQL, named for its purpose. The mid-call path costs two statements: `insert` before anything
 * is sent, and `recordAttempt` (the attempt row and the write's new state in one round trip) after.
 */
@Injectable()
export class WriteOutbox {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts the write; false when the tenant already used this Idempotency-Key (nothing inserted). */
  async insert(write: NewWrite): Promise<boolean> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO writes (id, tenant_id, call_id, intent, kind, status, payload, operations, operations_done,
         map_version_id, map_version, notes, idempotency_key, request_hash, requested_by_key_id, response,
         written_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
         CASE WHEN $6::varchar = 'written' THEN now() END)
       ON CONFLICT ON CONSTRAINT writes_tenant_idempotency_key_unique DO NOTHING
       RETURNING id`,
      [
        write.id,
        write.tenantId,
        write.callId,
        write.intent,
        write.kind,
        write.status,
        JSON.stringify(write.payload),
        write.operations ? JSON.stringify(write.operations) : null,
        write.operationsDone ?? 0,
        write.mapVersionId,
        write.mapVersion,
        JSON.stringify(write.notes),
        write.idempotencyKey,
        write.requestHash,
        write.requestedByKeyId,
        write.response ? JSON.stringify(write.response) : null,
      ],
    );
    return rows.length === 1;
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

  /** Every write of the call, oldest first (the completion gathers the call's records from them). */
  writesOfCall(tenantId: string, callId: string): Promise<Write[]> {
    return this.dataSource
      .getRepository(WriteEntity)
      .find({ where: { tenantId, callId }, order: { createdAt: 'ASC' } });
  }

  unfinishedWritesOfCall(tenantId: string, callId: string, except: string): Promise<Write[]> {
    return this.dataSource
      .getRepository(WriteEntity)
      .find({
        where: { tenantId, callId, status: In(['pending', 'retrying']) },
        order: { createdAt: 'ASC' },
      })
      .then((writes) => writes.filter((write) => write.id !== except));
  }

  /** A completion planned by its job: its operations and the map version they came from. */
  async savePlan(
    writeId: string,
    plan: {
      operations: PlannedOperation[];
      mapVersionId: string | null;
      mapVersion: number | null;
      notes: string[];
    },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE writes SET operations = $2, map_version_id = $3, map_version = $4, notes = $5, updated_at = now()
       WHERE id = $1`,
      [
        writeId,
        JSON.stringify(plan.operations),
        plan.mapVersionId,
        plan.mapVersion,
        JSON.stringify(plan.notes),
      ],
    );
  }

  /** One round trip: the attempt row, and the write's new state. A finished write (written, dead) never moves. */
  async recordAttempt(
    write: Pick<Write, 'id' | 'tenantId'>,
    attempt: AttemptRecord | null,
    progress: WriteProgress,
  ): Promise<void> {
    const params: unknown[] = [
      write.id,
      progress.status,
      JSON.stringify(progress.recordIds ?? {}),
      progress.operationsDone ?? null,
      progress.response ? JSON.stringify(progress.response) : null,
      progress.notes ? JSON.stringify(progress.notes) : null,
      progress.lastError === undefined ? null : (progress.lastError?.code ?? null),
      progress.lastError === undefined ? null : (progress.lastError?.message ?? null),
      progress.lastError !== undefined,
    ];
    const update = `UPDATE writes SET
        status = $2,
        record_ids = record_ids || $3::jsonb,
        operations_done = COALESCE($4, operations_done),
        response = COALESCE($5::jsonb, response),
        notes = COALESCE($6::jsonb, notes),
        last_error_code = CASE WHEN $9 THEN $7 ELSE last_error_code END,
        last_error_message = CASE WHEN $9 THEN $8 ELSE last_error_message END,
        written_at = CASE WHEN $2::varchar = 'written' THEN now() ELSE written_at END,
        updated_at = now()
      WHERE id = $1 AND status NOT IN ('written', 'dead')`;
    if (!attempt) {
      await this.dataSource.query(update, params);
      return;
    }
    await this.dataSource.query(
      `WITH attempt AS (
         INSERT INTO write_attempts (write_id, tenant_id, operation, via, outcome, error_class, error_code,
           error_message, duration_ms, started_at)
         VALUES ($1, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       )
       ${update}`,
      [
        ...params,
        write.tenantId,
        attempt.operation,
        attempt.via,
        attempt.outcome,
        attempt.errorClass ?? null,
        attempt.errorCode ?? null,
        attempt.errorMessage ?? null,
        Math.round(attempt.durationMs),
        attempt.startedAt,
      ],
    );
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../../common/auth/principal';
import type { PlannedOperation } from '../../mapping';
import { WritePlansService } from '../../mapping';
import { holdForApiHeadroom, markDeferred, markPermanent, retryActionFor } from '../../queue/retry-policy';
import { SalesforceClient } from '../../salesforce/client/salesforce-client';
import { ConnectionsService } from '../../salesforce/connections.service';
import type { AttemptVia } from '../entities/write-attempt.entity';
import type { StoredResponse, Write } from '../entities/write.entity';
import { WORKER_ACTOR } from '../events/writes.events';
import { CallCache } from './call-cache';
import { classifySendFailure, type SendFailure } from '../../salesforce/client/send-failure';
import { WritesErrorCode } from '../writes-error-code';
import { OperationSender, SendError } from './operation-sender';
import {
  type MoveOutcome,
  type QueuedWrite,
  type WriteChange,
  WriteOutbox,
  type WriteRef,
} from './write-outbox';
import { WriteQueue } from './write-queue';

/** Where an attempt runs and how much of the write's retry schedule is left. */
export interface AttemptContext {
  via: AttemptVia;
  /** Attempts already made (in the call and by Bull) before this one. */
  attemptsMade: number;
  /** This is the write's last attempt: a failure now is final. */
  lastAttempt: boolean;
  deadlineMs?: number;
}

/** A job failure the retry policy reads: `aicallPermanent` set when the write is dead. */
export class WriteAttemptError extends Error {
  constructor(readonly failure: SendFailure) {
    super(`${failure.errorCode}: ${failure.message}`);
    this.name = 'WriteAttemptError';
  }
}

type FailedAttempt = {
  ok: false;
  failure: SendFailure;
  dead: boolean;
  deferred: boolean;
  salesforceMs: number;
};

/** What one attempt at one operation came to; the write has already moved accordingly. */
export type AttemptResult =
  { ok: true; records: Record<string, string>; salesforceMs: number } | FailedAttempt;

/** The write as the executor carries it from one operation to the next. */
interface WriteInProgress extends WriteRef {
  kind: Write['kind'];
  operations: PlannedOperation[];
  /** Record ids the write holds already (earlier operations, earlier attempts). */
  recordIds: Record<string, string>;
  notes: string[];
  /** A plan made by this run, stored with the run's first move. */
  unsavedPlan?: WriteChange['plan'];
  /** The call's record ids the call cache held when the write was planned: it is told only what it lacks. */
  cachedRecords?: Record<string, string>;
}

const API_HEADROOM_FAILURE: SendFailure = {
  errorClass: 'rate-limited',
  errorCode: WritesErrorCode.ApiHeadroomReserved,
  message: 'daily API usage is above the headroom kept for live calls; the write waits',
  requiresReauthorization: false,
  code: WritesErrorCode.ApiHeadroomReserved,
};

/**
 * The one executor of write attempts, in the call (a critical intent's first operation, with its deadline) and
 * in the worker (the rest, and retries): it sends each operation exactly as planned, reads the retry policy,
 * and moves the write through the outbox, which records the attempt, the new status and their audit entries
 * together. Idempotent: a written or dead write is skipped, operations already sent are not sent again, and
 * every record write is an upsert on the call's key.
 */
@Injectable()
export class WriteExecutor {
  private readonly logger = new Logger(WriteExecutor.name);

  constructor(
    private readonly outbox: WriteOutbox,
    private readonly sender: OperationSender,
    private readonly queue: WriteQueue,
    private readonly plans: WritePlansService,
    private readonly connections: ConnectionsService,
    private readonly cache: CallCache,
    private readonly client: SalesforceClient,
  ) {}

  /**
   * A critical intent's first operation, once, within the deadline; `answer` is what the agent is told, stored
   * with the outcome for idempotent replays. What is left (more operations, or retries) goes to the queue.
   */
  async sendInCall(
    write: WriteRef & {
      operations: PlannedOperation[];
      notes: string[];
      cachedRecords: Record<string, string>;
    },
    deadlineMs: number,
    answer: (result: AttemptResult) => StoredResponse,
  ): Promise<AttemptResult> {
    const inProgress: WriteInProgress = { ...write, kind: 'intent', recordIds: {} };
    const context: AttemptContext = { via: 'in-call', attemptsMade: 0, lastAttempt: false, deadlineMs };
    const result = await this.attempt(inProgress, 0, context, answer);
    const more = result.ok ? write.operations.length > 1 : !result.dead;
    // The in-call try was attempt 1: queued retries continue the schedule from there.
    if (more) await this.queue.enqueue({ writeId: write.id, tenantId: write.tenantId }, result.ok ? 0 : 1);
    if (!result.ok && !result.dead) {
      this.logger.log(
        { writeId: write.id, errorCode: result.failure.errorCode },
        'critical write continues in the background',
      );
    }
    return result;
  }

  /** The worker's attempt at what is left of a write; throws what Bull's retry policy reads on failure. */
  async run(writeId: string, context: Omit<AttemptContext, 'via'>): Promise<void> {
    const callWrites = await this.outbox.withCallWrites(writeId);
    const write = callWrites.find((candidate) => candidate.id === writeId);
    if (!write || write.status === 'written' || write.status === 'dead') return;
    const queued: AttemptContext = { ...context, via: 'queued' };
    const ref: WriteRef = { ...pick(write), actor: WORKER_ACTOR };
    // The daily API limit: non-critical writes wait (not on their last try) so live calls keep the headroom.
    const critical = write.kind === 'intent' && write.operations?.[0]?.dispatch === 'in-call';
    if (!context.lastAttempt && holdForApiHeadroom(this.client.apiUsage(write.tenantId), critical)) {
      const held = await this.failed(ref, write.operationsDone, API_HEADROOM_FAILURE, 0, new Date(), queued);
      return throwFor(held);
    }
    const inProgress: WriteInProgress = {
      ...ref,
      kind: write.kind,
      operations: write.operations ?? [],
      recordIds: { ...write.recordIds },
      notes: [...write.notes],
    };
    if (!write.operations) {
      const earlier = callWrites.filter(
        (other) => other.createdAt < write.createdAt && ['pending', 'retrying'].includes(other.status),
      );
      if (earlier.length > 0 && !context.lastAttempt) {
        throw new WriteAttemptError(earlierWritesPending(earlier.length));
      }
      await this.planCompletion(inProgress, write, callWrites);
    }
    if (write.operationsDone >= inProgress.operations.length) {
      await this.outbox.move(ref, {
        move: 'written',
        via: 'queued',
        records: inProgress.recordIds,
        change: { notes: inProgress.notes, ...(inProgress.unsavedPlan && { plan: inProgress.unsavedPlan }) },
      });
      return;
    }
    for (let index = write.operationsDone; index < inProgress.operations.length; index++) {
      const result = await this.attempt(inProgress, index, queued);
      if (!result.ok) return throwFor(result);
    }
    this.logger.log({ writeId, operations: inProgress.operations.length }, 'write written');
  }

  /**
   * An admin's replay of a dead write: reopened with its new plan (in one transaction with `alongside`, the
   * dead letter's bookkeeping), then queued. Everything is sent again from the first operation: each one is an
   * upsert on the call's external ids, so nothing is doubled.
   */
  async replay(
    write: Write,
    plan: NonNullable<WriteChange['plan']> & { notes: string[] },
    actor: Actor,
    alongside: (manager: EntityManager) => Promise<boolean>,
  ): Promise<boolean> {
    const { notes, ...planned } = plan;
    const reopened = await this.outbox.reopen(
      { ...pick(write), actor },
      { plan: planned, notes, operationsDone: 0, lastError: null },
      alongside,
    );
    if (reopened) await this.queue.requeue({ writeId: write.id, tenantId: write.tenantId });
    return reopened;
  }

  /** Bull gave the job up for its own reasons (stalled too often): the write dies, if it is not finished. */
  async markDeadById(writeId: string, message: string, attempts: number): Promise<void> {
    const write = await this.outbox.findById(writeId);
    if (!write) return;
    await this.outbox.move(
      { ...pick(write), actor: WORKER_ACTOR },
      {
        move: 'dead',
        change: { lastError: { code: 'JOB_FAILED', message } },
        failure: { errorClass: 'transient', errorCode: 'JOB_FAILED', message },
        attempts,
      },
    );
  }

  /** One operation, sent once; the write moves to progress, written, retrying or dead with the attempt. */
  private async attempt(
    write: WriteInProgress,
    index: number,
    context: AttemptContext,
    answer?: (result: AttemptResult) => StoredResponse,
  ): Promise<AttemptResult> {
    const startedAt = new Date();
    const operation = write.operations[index];
    if (operation.kind === 'chatter-post') {
      const refusal = await this.chatterRefusal(write.tenantId);
      if (refusal) {
        write.notes.push(`Chatter post not sent: ${refusal}`);
        const attempt = {
          operation: index,
          via: context.via,
          outcome: 'refused' as const,
          errorClass: 'permanent',
          errorCode: 'SCOPE_INSUFFICIENT',
          errorMessage: refusal,
          durationMs: 0,
          startedAt,
        };
        await this.outbox.move(write, this.succeeded(write, index, context, { attempt }));
        return { ok: true, records: {}, salesforceMs: 0 };
      }
    }
    let sent;
    try {
      sent = await this.sendWithTaskFallback(write, index, context.deadlineMs);
    } catch (error) {
      const failure = error instanceof SendError ? error.failure : classifySendFailure(error);
      const durationMs = error instanceof SendError ? error.salesforceMs : 0;
      return this.failed(write, index, failure, durationMs, startedAt, context, answer);
    }
    write.notes.push(...sent.notes);
    Object.assign(write.recordIds, sent.records);
    const result: AttemptResult = { ok: true, records: sent.records, salesforceMs: sent.salesforceMs };
    const attempt = {
      operation: index,
      via: context.via,
      outcome: 'written' as const,
      durationMs: sent.salesforceMs,
      startedAt,
    };
    await Promise.all([
      this.outbox.move(
        write,
        this.succeeded(write, index, context, {
          attempt,
          recordIds: sent.records,
          ...(sent.notes.length > 0 && { notes: write.notes }),
          ...(answer && { response: answer(result) }),
          ...(operation.kind === 'chatter-post' && { sentOnceOnly: true }),
        }),
      ),
      this.cache.putRecords(write.tenantId, write.callId, notIn(write.cachedRecords, sent.records)),
    ]);
    return result;
  }

  /** The move after a done (or refused) operation: written after the last one, progress before. */
  private succeeded(
    write: WriteInProgress,
    index: number,
    context: AttemptContext,
    change: WriteChange,
  ): MoveOutcome {
    const withPlan: WriteChange = {
      ...change,
      operationsDone: index + 1,
      ...(write.unsavedPlan && { plan: write.unsavedPlan, notes: write.notes }),
    };
    write.unsavedPlan = undefined;
    if (index < write.operations.length - 1) return { move: 'progress', change: withPlan };
    return {
      move: 'written',
      via: context.via,
      records: write.recordIds,
      change: { ...withPlan, notes: write.notes },
    };
  }

  /** A failed attempt: dead when the policy says so or no attempt is left, else retrying. */
  private async failed(
    write: WriteRef & { unsavedPlan?: WriteChange['plan'] },
    index: number,
    failure: SendFailure,
    durationMs: number,
    startedAt: Date,
    context: AttemptContext,
    answer?: (result: AttemptResult) => StoredResponse,
  ): Promise<FailedAttempt> {
    const action = retryActionFor(failure);
    const dead = action === 'dead-letter' || context.lastAttempt;
    const result: FailedAttempt = {
      ok: false,
      failure,
      dead,
      deferred: action === 'defer' && !dead,
      salesforceMs: durationMs,
    };
    const change: WriteChange = {
      attempt: {
        operation: index,
        via: context.via,
        outcome: 'failed',
        errorClass: failure.errorClass,
        errorCode: failure.errorCode,
        errorMessage: failure.message,
        durationMs,
        startedAt,
      },
      lastError: { code: failure.errorCode, message: failure.message },
      ...(answer && { response: answer(result) }),
      ...(write.unsavedPlan && { plan: write.unsavedPlan }),
    };
    write.unsavedPlan = undefined;
    await this.outbox.move(
      write,
      dead
        ? {
            move: 'dead',
            change,
            failure: {
              errorClass: failure.errorClass,
              errorCode: failure.errorCode,
              message: failure.message,
            },
            attempts: context.attemptsMade + 1,
          }
        : { move: 'retrying', change },
    );
    if (dead) {
      this.logger.warn(
        { writeId: write.id, operation: index, errorCode: failure.errorCode },
        'write failed for good',
      );
    }
    return result;
  }

  /**
   * The Task is created with TaskSubtype (createable, not updateable). When another write of the call created
   * the Task first (a race the plan could not see), Salesforce refuses the field on update: plan again without it.
   */
  private async sendWithTaskFallback(write: WriteInProgress, index: number, deadlineMs?: number) {
    const options = deadlineMs === undefined ? {} : { deadlineMs };
    try {
      return await this.sender.send(write.tenantId, write.operations[index], options);
    } catch (error) {
      const taskSubtypeRefused =
        write.kind === 'completion' &&
        error instanceof SendError &&
        error.failure.errorCode === 'INVALID_FIELD_FOR_INSERT_UPDATE' &&
        error.failure.message.includes('TaskSubtype');
      if (!taskSubtypeRefused) throw error;
      const callWrites = await this.outbox.withCallWrites(write.id);
      const stored = callWrites.find((candidate) => candidate.id === write.id)!;
      await this.planCompletion(write, stored, callWrites, { taskExists: true });
      return this.sender.send(write.tenantId, write.operations[index], options);
    }
  }

  private async chatterRefusal(tenantId: string): Promise<string | null> {
    try {
      await this.connections.assertOperationAllowed(tenantId, 'chatter-post');
      return null;
    } catch (error) {
      const failure = classifySendFailure(error);
      if (failure.errorCode !== 'SCOPE_INSUFFICIENT') throw error;
      return failure.message;
    }
  }

  /** Plans the call's Task (and the tenant's `call_completed` extras) with every record the call knows now. */
  private async planCompletion(
    write: WriteInProgress,
    stored: QueuedWrite,
    callWrites: QueuedWrite[],
    options: { taskExists?: boolean } = {},
  ): Promise<void> {
    const cached = await this.cache.get(write.tenantId, write.callId);
    const records: Record<string, string> = { ...cached.records };
    for (const other of callWrites) {
      if (other.id === write.id) continue;
      Object.assign(records, other.payload.records, other.recordIds);
    }
    const { plan, mapVersion } = await this.plans.plan(write.tenantId, {
      kind: 'completion',
      callId: write.callId,
      now: new Date(stored.payload.now),
      caller: stored.payload.caller,
      call: stored.payload.call ?? {},
      records,
      taskExists: options.taskExists,
    });
    write.operations = plan.operations;
    write.notes = [...plan.notes];
    write.unsavedPlan = {
      operations: plan.operations,
      mapVersionId: mapVersion?.id ?? null,
      mapVersion: mapVersion?.version ?? null,
    };
  }
}

function pick(write: Pick<Write, 'id' | 'tenantId' | 'callId' | 'intent'>): Omit<WriteRef, 'actor'> {
  return { id: write.id, tenantId: write.tenantId, callId: write.callId, intent: write.intent };
}

function earlierWritesPending(count: number): SendFailure {
  return {
    errorClass: 'transient',
    errorCode: WritesErrorCode.EarlierWritesPending,
    message: `waiting for ${count} earlier write(s) of the call`,
    requiresReauthorization: false,
    code: WritesErrorCode.EarlierWritesPending,
  };
}

/** What Bull is told after a failed attempt: wait without using a retry, stop, or retry on schedule. */
function throwFor(result: FailedAttempt): never {
  const error = new WriteAttemptError(result.failure);
  if (result.deferred) throw markDeferred(error);
  if (result.dead) throw markPermanent(error);
  throw error;
}

/** The ids of `records` that `cached` does not already hold (all of them without a cache reading). */
function notIn(
  cached: Record<string, string> | undefined,
  records: Record<string, string>,
): Record<string, string> {
  if (!cached) return records;
  return Object.fromEntries(Object.entries(records).filter(([object, id]) => cached[object] !== id));
}

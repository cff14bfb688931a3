import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { PlannedOperation } from '../../mapping';
import { WritePlansService } from '../../mapping';
import { holdForApiHeadroom, markDeferred, markPermanent, retryActionFor } from '../../queue/retry-policy';
import { SalesforceClient } from '../../salesforce/client/salesforce-client';
import { classifySendFailure, type SendFailure } from '../../salesforce/client/send-failure';
import { ConnectionsService } from '../../salesforce/connections.service';
import type { Write } from '../entities/write.entity';
import { WritesErrorCode } from '../writes-error-code';
import {
  WORKER_ACTOR,
  WriteAttemptRecordedEvent,
  WriteFailedEvent,
  WritesEvents,
  WriteWrittenEvent,
} from '../events/writes.events';
import { ActiveVersions } from './active-versions';
import { CallCache } from './call-cache';
import { completionVersion } from './completion-plan';
import { COMPLETION_INTENT } from './intent-writes.service';
import { OperationSender, SendError } from './operation-sender';
import { WriteOutbox } from './write-outbox';

export interface AttemptContext {
  /** Attempts Bull already made before this one. */
  attemptsMade: number;
  /** This is the job's last attempt: a failure now is final. */
  lastAttempt: boolean;
}

/** A job failure the retry policy reads: `aicallPermanent` set when the write is dead. */
export class WriteAttemptError extends Error {
  constructor(readonly failure: SendFailure) {
    super(`${failure.errorCode}: ${failure.message}`);
    this.name = 'WriteAttemptError';
  }
}

const API_HEADROOM_FAILURE: SendFailure = {
  errorClass: 'rate-limited',
  errorCode: 'API_HEADROOM_RESERVED',
  message: 'daily API usage is above the headroom kept for live calls; the write waits',
  requiresReauthorization: false,
  code: WritesErrorCode.ApiHeadroomReserved,
};

/**
 * Sends what is left of a write in the worker: idempotent (a written or dead write is skipped; operations
 * already sent are not sent again; every record write is an upsert on the call's key), one attempt row per
 * try, and the write marked written, retrying, or dead.
 */
@Injectable()
export class WriteRunner {
  private readonly logger = new Logger(WriteRunner.name);

  constructor(
    private readonly outbox: WriteOutbox,
    private readonly sender: OperationSender,
    private readonly plans: WritePlansService,
    private readonly versions: ActiveVersions,
    private readonly connections: ConnectionsService,
    private readonly cache: CallCache,
    private readonly events: EventEmitter2,
    private readonly client: SalesforceClient,
  ) {}

  async run(writeId: string, context: AttemptContext): Promise<void> {
    const write = await this.outbox.findById(writeId);
    if (!write || write.status === 'written' || write.status === 'dead') return;
    // The daily API limit: non-critical writes wait (not on their last try) so live calls keep the headroom.
    const critical = write.kind === 'intent' && write.operations?.[0]?.dispatch === 'in-call';
    if (!context.lastAttempt && holdForApiHeadroom(this.client.apiUsage(write.tenantId), critical)) {
      return this.holdForHeadroom(write, context);
    }
    let operations = write.operations;
    if (!operations) {
      const waiting = await this.waitForEarlierWrites(write, context);
      if (waiting) return this.fail(write, waiting, context, write.operationsDone);
      operations = await this.planCompletion(write);
    }
    const notes = [...write.notes];
    const written: Record<string, string> = {};
    for (let index = write.operationsDone; index < operations.length; index++) {
      const operation = operations[index];
      const startedAt = new Date();
      if (operation.kind === 'chatter-post') {
        const refusal = await this.chatterRefusal(write.tenantId);
        if (refusal) {
          notes.push(`Chatter post not sent: ${refusal}`);
          await this.outbox.recordAttempt(
            write,
            {
              operation: index,
              via: 'queued',
              outcome: 'refused',
              errorClass: 'permanent',
              errorCode: 'SCOPE_INSUFFICIENT',
              errorMessage: refusal,
              durationMs: 0,
              startedAt,
            },
            { status: 'pending', operationsDone: index + 1, notes },
          );
          continue;
        }
      }
      try {
        const sent = await this.sendWithTaskFallback(write, operations, index);
        operations = sent.operations;
        Object.assign(written, sent.records);
        notes.push(...sent.notes);
        await Promise.all([
          this.outbox.recordAttempt(
            write,
            { operation: index, via: 'queued', outcome: 'written', durationMs: sent.salesforceMs, startedAt },
            {
              status: 'pending',
              recordIds: sent.records,
              operationsDone: index + 1,
              ...(sent.notes.length > 0 && { notes }),
            },
          ),
          this.cache.putRecords(write.tenantId, write.callId, sent.records),
        ]);
        this.emitAttempt(write, index, 'written', sent.salesforceMs);
      } catch (error) {
        const failure = error instanceof SendError ? error.failure : classifySendFailure(error);
        const durationMs = error instanceof SendError ? error.salesforceMs : 0;
        await this.recordFailedAttempt(write, index, failure, durationMs, startedAt);
        this.emitAttempt(write, index, 'failed', durationMs, failure);
        return this.fail(write, failure, context, index);
      }
    }
    await this.outbox.recordAttempt(write, null, { status: 'written', notes });
    this.events.emit(
      WritesEvents.WriteWritten,
      new WriteWrittenEvent(write.tenantId, write.id, WORKER_ACTOR, {
        callId: write.callId,
        intent: write.intent,
        via: 'queued',
        records: { ...write.recordIds, ...written },
      }),
    );
    this.logger.log({ writeId: write.id, operations: operations.length }, 'write written');
  }

  /** Records why the write waits (so GET /v1/writes shows it), then lets the retry policy defer it. */
  private async holdForHeadroom(write: Write, context: AttemptContext): Promise<never> {
    await this.recordFailedAttempt(write, write.operationsDone, API_HEADROOM_FAILURE, 0, new Date());
    return this.fail(write, API_HEADROOM_FAILURE, context, write.operationsDone);
  }

  private recordFailedAttempt(
    write: Write,
    operation: number,
    failure: SendFailure,
    durationMs: number,
    startedAt: Date,
  ): Promise<void> {
    return this.outbox.recordAttempt(
      write,
      {
        operation,
        via: 'queued',
        outcome: 'failed',
        errorClass: failure.errorClass,
        errorCode: failure.errorCode,
        errorMessage: failure.message,
        durationMs,
        startedAt,
      },
      { status: 'retrying', lastError: { code: failure.errorCode, message: failure.message } },
    );
  }

  /** Marks the write dead when the failure is final (and says so to Bull), else lets Bull retry. */
  private async fail(
    write: Write,
    failure: SendFailure,
    context: AttemptContext,
    operation: number,
  ): Promise<never> {
    const error = new WriteAttemptError(failure);
    const action = retryActionFor(failure);
    if (action === 'defer' && !context.lastAttempt) throw markDeferred(error);
    if (action === 'dead-letter' || context.lastAttempt) {
      await this.markDead(write, failure, context.attemptsMade + 1);
      this.logger.warn(
        { writeId: write.id, operation, errorCode: failure.errorCode },
        'write failed for good',
      );
      throw markPermanent(error);
    }
    throw error;
  }

  /** Bull gave the job up for its own reasons (stalled too often): idempotent. */
  async markDeadById(writeId: string, message: string, attempts: number): Promise<void> {
    const write = await this.outbox.findById(writeId);
    if (!write) return;
    await this.markDead(write, { errorClass: 'transient', errorCode: 'JOB_FAILED', message }, attempts);
  }

  async markDead(
    write: Write,
    failure: Pick<SendFailure, 'errorClass' | 'errorCode' | 'message'>,
    attempts: number,
  ): Promise<void> {
    const current = await this.outbox.findById(write.id);
    if (!current || current.status === 'written' || current.status === 'dead') return;
    await this.outbox.recordAttempt(write, null, {
      status: 'dead',
      lastError: { code: failure.errorCode, message: failure.message },
    });
    this.events.emit(
      WritesEvents.WriteFailed,
      new WriteFailedEvent(write.tenantId, write.id, WORKER_ACTOR, {
        callId: write.callId,
        intent: write.intent,
        errorClass: failure.errorClass,
        errorCode: failure.errorCode,
        message: failure.message,
        attempts,
      }),
    );
  }

  /**
   * The Task is created with TaskSubtype (createable, not updateable). When another write of the call created
   * the Task first (a race the plan could not see), Salesforce refuses the field on update: plan again without it.
   */
  private async sendWithTaskFallback(write: Write, operations: PlannedOperation[], index: number) {
    try {
      const sent = await this.sender.send(write.tenantId, operations[index]);
      return { ...sent, operations };
    } catch (error) {
      const taskSubtypeRefused =
        write.kind === 'completion' &&
        error instanceof SendError &&
        error.failure.errorCode === 'INVALID_FIELD_FOR_INSERT_UPDATE' &&
        error.failure.message.includes('TaskSubtype');
      if (!taskSubtypeRefused) throw error;
      const replanned = await this.planCompletion(write, { taskExists: true });
      const sent = await this.sender.send(write.tenantId, replanned[index]);
      return { ...sent, operations: replanned };
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

  /**
   * The completion waits (on the retry schedule) for earlier writes of the call that are still under way, so
   * its Task can point at the records they create; on its last attempt it goes ahead with what is known.
   */
  private async waitForEarlierWrites(write: Write, context: AttemptContext): Promise<SendFailure | null> {
    if (context.lastAttempt) return null;
    const unfinished = (
      await this.outbox.unfinishedWritesOfCall(write.tenantId, write.callId, write.id)
    ).filter((other) => other.createdAt < write.createdAt);
    if (unfinished.length === 0) return null;
    return {
      errorClass: 'transient',
      errorCode: 'EARLIER_WRITES_PENDING',
      message: `waiting for ${unfinished.length} earlier write(s) of the call`,
      requiresReauthorization: false,
      code: WritesErrorCode.EarlierWritesPending,
    };
  }

  /** Plans the call's Task (and the tenant's `call_completed` extras) with every record the call knows now. */
  private async planCompletion(
    write: Write,
    options: { taskExists?: boolean } = {},
  ): Promise<PlannedOperation[]> {
    const [cached, writes, extra] = await Promise.all([
      this.cache.get(write.tenantId, write.callId),
      this.outbox.writesOfCall(write.tenantId, write.callId),
      this.versions.find(write.tenantId, COMPLETION_INTENT),
    ]);
    const records: Record<string, string> = { ...cached.records };
    for (const other of writes) {
      if (other.id === write.id) continue;
      Object.assign(records, other.payload.records, other.recordIds);
    }
    const taskExists = options.taskExists || records.Task !== undefined;
    const call = write.payload.call ?? {};
    const version = completionVersion(call, extra, { taskExists });
    const plan = await this.plans.planWithVersion(write.tenantId, version, {
      callId: write.callId,
      now: new Date(write.payload.now),
      caller: write.payload.caller,
      call,
      records,
    });
    await this.outbox.savePlan(write.id, {
      operations: plan.operations,
      mapVersionId: extra?.id ?? null,
      mapVersion: extra?.version ?? null,
      notes: plan.notes,
    });
    write.notes = plan.notes;
    return plan.operations;
  }

  private emitAttempt(
    write: Write,
    operation: number,
    outcome: 'written' | 'failed',
    durationMs: number,
    failure?: SendFailure,
  ): void {
    this.events.emit(
      WritesEvents.AttemptRecorded,
      new WriteAttemptRecordedEvent(write.tenantId, write.id, WORKER_ACTOR, {
        callId: write.callId,
        intent: write.intent,
        operation,
        via: 'queued',
        outcome,
        errorClass: failure?.errorClass ?? null,
        errorCode: failure?.errorCode ?? null,
        message: failure?.message ?? null,
        durationMs: Math.round(durationMs),
      }),
    );
  }
}

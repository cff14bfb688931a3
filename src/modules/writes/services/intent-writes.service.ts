import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { DomainError } from '../../../common/errors/domain-error';
import { currentRequestId } from '../../../common/http/request-context';
import type { WritesConfig } from '../../../config/writes.config';
import { type PlannedOperation, type WritePlan, WritePlansService } from '../../mapping';
import { retryActionFor } from '../../queue/retry-policy';
import type { CompleteRequest, IntentRequest } from '../dto/writes.dto';
import { CALL_ID_MESSAGE, CALL_ID_PATTERN } from '../dto/writes.dto';
import type { StoredResponse, WritePayload, WriteStatus } from '../entities/write.entity';
import {
  WriteAttemptRecordedEvent,
  WriteFailedEvent,
  WriteRequestedEvent,
  WritesEvents,
  WriteWrittenEvent,
} from '../events/writes.events';
import { normalizePhone } from '../lookup/phone-number';
import { ActiveVersions } from './active-versions';
import { CallCache } from './call-cache';
import { replayResponse, requestHash } from './idempotency';
import { OperationSender, SendError } from './operation-sender';
import { WriteOutbox } from './write-outbox';
import { WriteQueue } from './write-queue';
import { intentInputErrorCode, WritesErrorCode } from '../writes-error-code';
import { httpStatusOf } from '../../../common/errors/http-status';

/** What a controller answers: status, body, and the time spent waiting for Salesforce (Server-Timing). */
export interface WriteAnswer {
  status: number;
  body: unknown;
  salesforceMs: number;
}

export const COMPLETION_INTENT = 'call_completed';

/**
 * The mid-call write path (architecture.md, "The path of one critical intent"): validate, plan through the
 * intent map, record the write (pending) before anything is sent, send the in-call composite once with a
 * deadline, record the outcome, answer. Two database statements and one Salesforce round trip.
 */
@Injectable()
export class IntentWritesService {
  private readonly logger = new Logger(IntentWritesService.name);
  private readonly config: WritesConfig;

  constructor(
    private readonly plans: WritePlansService,
    private readonly versions: ActiveVersions,
    private readonly cache: CallCache,
    private readonly outbox: WriteOutbox,
    private readonly sender: OperationSender,
    private readonly queue: WriteQueue,
    private readonly events: EventEmitter2,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<WritesConfig>('writes');
  }

  async submitIntent(
    agent: TenantPrincipal,
    callId: string,
    request: IntentRequest,
    idempotencyKey?: string,
  ): Promise<WriteAnswer> {
    const hash = idempotencyKey ? requestHash('intents', callId, request) : null;
    let prepared: { plan: WritePlan; payload: WritePayload };
    try {
      prepared = await this.prepare(agent.tenantId, callId, request);
    } catch (error) {
      // A replay is answered as the first time, even if the map changed since.
      if (idempotencyKey && hash) {
        const replay = await this.replayIfKnown(agent.tenantId, idempotencyKey, hash);
        if (replay) return replay;
      }
      throw error;
    }
    const { plan, payload } = prepared;
    const writeId = randomUUID();
    const [first] = plan.operations;
    const inCall = first?.dispatch === 'in-call';
    const nothingToSend = plan.operations.length === 0;
    const immediate: StoredResponse | null = inCall
      ? null
      : nothingToSend
        ? { status: 200, body: { writeId, status: 'written', records: payload.records } }
        : { status: 202, body: { writeId, status: 'queued' } };
    const inserted = await this.outbox.insert({
      id: writeId,
      tenantId: agent.tenantId,
      callId,
      intent: plan.intent,
      kind: 'intent',
      status: nothingToSend ? 'written' : 'pending',
      payload,
      operations: plan.operations,
      mapVersionId: plan.mapVersionId,
      mapVersion: plan.mapVersion,
      notes: plan.notes,
      idempotencyKey: idempotencyKey ?? null,
      requestHash: hash,
      requestedByKeyId: agent.keyId,
      response: immediate,
    });
    if (!inserted) return this.replay(agent.tenantId, idempotencyKey!, hash!);
    this.events.emit(
      WritesEvents.WriteRequested,
      new WriteRequestedEvent(agent.tenantId, writeId, agent, {
        callId,
        intent: plan.intent,
        kind: 'intent',
        mode: plan.mode,
        mapVersionId: plan.mapVersionId,
        mapVersion: plan.mapVersion,
        idempotencyKey: idempotencyKey ?? null,
      }),
    );
    if (immediate) {
      if (!nothingToSend) await this.queue.enqueue({ writeId, tenantId: agent.tenantId });
      return { ...immediate, salesforceMs: 0 };
    }
    return this.sendInCall(agent, writeId, callId, plan, payload, first);
  }

  /** POST /complete: recorded and queued at once; the job plans and writes the Task (and any Chatter post). */
  async submitCompletion(
    agent: TenantPrincipal,
    callId: string,
    request: CompleteRequest,
    idempotencyKey?: string,
  ): Promise<WriteAnswer> {
    assertCallId(callId);
    const hash = idempotencyKey ? requestHash('complete', callId, request) : null;
    const writeId = randomUUID();
    const response: StoredResponse = { status: 202, body: { writeId, status: 'queued' } };
    const inserted = await this.outbox.insert({
      id: writeId,
      tenantId: agent.tenantId,
      callId,
      intent: COMPLETION_INTENT,
      kind: 'completion',
      status: 'pending',
      payload: {
        caller: {},
        call: {
          summary: request.summary,
          durationSeconds: request.durationSeconds,
          direction: request.direction,
          ...(request.disposition !== undefined && { disposition: request.disposition }),
        },
        records: {},
        now: new Date().toISOString(),
      },
      operations: null,
      mapVersionId: null,
      mapVersion: null,
      notes: [],
      idempotencyKey: idempotencyKey ?? null,
      requestHash: hash,
      requestedByKeyId: agent.keyId,
      response,
    });
    if (!inserted) return this.replay(agent.tenantId, idempotencyKey!, hash!);
    this.events.emit(
      WritesEvents.WriteRequested,
      new WriteRequestedEvent(agent.tenantId, writeId, agent, {
        callId,
        intent: COMPLETION_INTENT,
        kind: 'completion',
        mode: 'deferred',
        mapVersionId: null,
        mapVersion: null,
        idempotencyKey: idempotencyKey ?? null,
      }),
    );
    await this.queue.enqueue({ writeId, tenantId: agent.tenantId });
    return { ...response, salesforceMs: 0 };
  }

  /** Everything that can refuse the request before a row exists: call id, phone, intent, value. */
  private async prepare(
    tenantId: string,
    callId: string,
    request: IntentRequest,
  ): Promise<{ plan: WritePlan; payload: WritePayload }> {
    assertCallId(callId);
    const phone = normalizePhone(request.caller.phone, this.config.defaultPhoneRegion, 'caller.phone');
    const [version, known] = await Promise.all([
      this.versions.get(tenantId, request.intent),
      this.cache.get(tenantId, callId),
    ]);
    const now = new Date();
    const caller = { ...request.caller, phone: phone.e164 };
    const plan = await this.plans.planWithVersion(tenantId, version, {
      callId,
      now,
      value: request.value,
      caller,
      payload: request.payload,
      records: known.records,
    });
    if (plan.problems.length > 0) {
      throw new DomainError(
        intentInputErrorCode(plan.problems),
        plan.problems.map((p) => p.message).join('; '),
        plan.problems,
      );
    }
    const payload: WritePayload = {
      ...(request.value !== undefined && { value: request.value }),
      caller,
      ...(request.payload !== undefined && { payload: request.payload }),
      records: known.records,
      now: now.toISOString(),
    };
    return { plan, payload };
  }

  private async sendInCall(
    agent: TenantPrincipal,
    writeId: string,
    callId: string,
    plan: WritePlan,
    payload: WritePayload,
    operation: PlannedOperation,
  ): Promise<WriteAnswer> {
    const write = { id: writeId, tenantId: agent.tenantId };
    const startedAt = new Date();
    const more = plan.operations.length > 1;
    try {
      const sent = await this.sender.send(agent.tenantId, operation, {
        deadlineMs: this.config.criticalWriteDeadlineMs,
      });
      const records = { ...payload.records, ...sent.records };
      const response: StoredResponse = { status: 200, body: { writeId, status: 'written', records } };
      const status: WriteStatus = more ? 'pending' : 'written';
      await Promise.all([
        this.outbox.recordAttempt(
          write,
          { operation: 0, via: 'in-call', outcome: 'written', durationMs: sent.salesforceMs, startedAt },
          {
            status,
            recordIds: sent.records,
            operationsDone: 1,
            response,
            ...(sent.notes.length > 0 && { notes: [...plan.notes, ...sent.notes] }),
          },
        ),
        this.cache.putRecords(agent.tenantId, callId, sent.records),
      ]);
      this.emitAttempt(agent, writeId, callId, plan.intent, 'written', sent.salesforceMs);
      if (more) await this.queue.enqueue({ writeId, tenantId: agent.tenantId });
      else {
        this.events.emit(
          WritesEvents.WriteWritten,
          new WriteWrittenEvent(agent.tenantId, writeId, agent, {
            callId,
            intent: plan.intent,
            via: 'in-call',
            records: sent.records,
          }),
        );
      }
      return { ...response, salesforceMs: sent.salesforceMs };
    } catch (error) {
      if (!(error instanceof SendError)) throw error;
      const { failure, salesforceMs } = error;
      const dead = retryActionFor(failure) === 'dead-letter';
      const response: StoredResponse = dead
        ? {
            status: httpStatusOf(failure.code),
            body: {
              statusCode: httpStatusOf(failure.code),
              code: failure.code,
              message: `Salesforce refused the write: ${failure.errorCode}: ${failure.message}`,
              problems: [
                {
                  ...(failure.target && { field: failure.target }),
                  code: failure.errorCode,
                  message: failure.message,
                },
              ],
              writeId,
              requestId: currentRequestId(),
            },
          }
        : { status: 202, body: { writeId, status: 'queued' } };
      await this.outbox.recordAttempt(
        write,
        {
          operation: 0,
          via: 'in-call',
          outcome: 'failed',
          errorClass: failure.errorClass,
          errorCode: failure.errorCode,
          errorMessage: failure.message,
          durationMs: salesforceMs,
          startedAt,
        },
        {
          status: dead ? 'dead' : 'retrying',
          response,
          lastError: { code: failure.errorCode, message: failure.message },
        },
      );
      this.emitAttempt(agent, writeId, callId, plan.intent, 'failed', salesforceMs, failure);
      if (dead) {
        this.events.emit(
          WritesEvents.WriteFailed,
          new WriteFailedEvent(agent.tenantId, writeId, agent, {
            callId,
            intent: plan.intent,
            errorClass: failure.errorClass,
            errorCode: failure.errorCode,
            message: failure.message,
            attempts: 1,
          }),
        );
      } else {
        // The in-call try was attempt 1: the queued retries continue the schedule from there.
        await this.queue.enqueue({ writeId, tenantId: agent.tenantId }, 1);
        this.logger.log(
          { writeId, errorCode: failure.errorCode },
          'critical write continues in the background',
        );
      }
      return { ...response, salesforceMs };
    }
  }

  private emitAttempt(
    agent: TenantPrincipal,
    writeId: string,
    callId: string,
    intent: string,
    outcome: 'written' | 'failed',
    durationMs: number,
    failure?: { errorClass: string; errorCode: string; message: string },
  ): void {
    this.events.emit(
      WritesEvents.AttemptRecorded,
      new WriteAttemptRecordedEvent(agent.tenantId, writeId, agent, {
        callId,
        intent,
        operation: 0,
        via: 'in-call',
        outcome,
        errorClass: failure?.errorClass ?? null,
        errorCode: failure?.errorCode ?? null,
        message: failure?.message ?? null,
        durationMs: Math.round(durationMs),
      }),
    );
  }

  private async replayIfKnown(tenantId: string, key: string, hash: string): Promise<WriteAnswer | null> {
    const existing = await this.outbox.findByIdempotencyKey(tenantId, key);
    if (!existing) return null;
    // The first request stores its answer within its deadline; without one long after that, it died.
    const inFlightForMs = 2 * this.config.criticalWriteDeadlineMs;
    return { ...replayResponse(existing, hash, inFlightForMs), salesforceMs: 0 };
  }

  private async replay(tenantId: string, key: string, hash: string): Promise<WriteAnswer> {
    const answer = await this.replayIfKnown(tenantId, key, hash);
    if (answer) return answer;
    // The conflicting row vanished between the insert and the read (its tenant was deleted).
    throw new DomainError(WritesErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was already used');
  }
}

function assertCallId(callId: string): void {
  if (!CALL_ID_PATTERN.test(callId)) {
    throw new DomainError(WritesErrorCode.CallIdInvalid, CALL_ID_MESSAGE, [
      { field: 'callId', code: 'CALL_ID_INVALID', message: CALL_ID_MESSAGE },
    ]);
  }
}

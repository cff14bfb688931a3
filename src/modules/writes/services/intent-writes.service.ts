import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { DomainError } from '../../../common/errors/domain-error';
import { currentRequestId } from '../../../common/http/request-context';
import type { WritesConfig } from '../../../config/writes.config';
import { COMPLETION_INTENT, type WritePlan, WritePlansService } from '../../mapping';
import type { CompleteRequest, IntentRequest } from '../dto/writes.dto';
import { CALL_ID_MESSAGE, CALL_ID_PATTERN } from '../dto/writes.dto';
import type { StoredResponse, WritePayload } from '../entities/write.entity';
import { CallCache } from './call-cache';
import { replayResponse, requestHash } from './idempotency';
import { type AttemptResult, WriteExecutor } from './write-executor';
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

/**
 * The mid-call write path (architecture.md, "The path of one critical intent"): validate, plan through the
 * intent map, record the write (pending) before anything is sent, let the executor send the in-call composite
 * once with a deadline and record the outcome, answer. Two database statements and one Salesforce round trip.
 */
@Injectable()
export class IntentWritesService {
  private readonly config: WritesConfig;

  constructor(
    private readonly plans: WritePlansService,
    private readonly cache: CallCache,
    private readonly outbox: WriteOutbox,
    private readonly executor: WriteExecutor,
    private readonly queue: WriteQueue,
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
    const inCall = plan.operations[0]?.dispatch === 'in-call';
    const nothingToSend = plan.operations.length === 0;
    const immediate: StoredResponse | null = inCall
      ? null
      : nothingToSend
        ? { status: 200, body: { writeId, status: 'written', records: payload.records } }
        : { status: 202, body: { writeId, status: 'queued' } };
    const requested = await this.outbox.request(
      {
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
      },
      agent,
      {
        callId,
        intent: plan.intent,
        mode: plan.mode,
        mapVersionId: plan.mapVersionId,
        mapVersion: plan.mapVersion,
        idempotencyKey: idempotencyKey ?? null,
      },
    );
    if (!requested) return this.replay(agent.tenantId, idempotencyKey!, hash!);
    if (immediate) {
      if (!nothingToSend) await this.queue.enqueue({ writeId, tenantId: agent.tenantId });
      return { ...immediate, salesforceMs: 0 };
    }
    const write = { id: writeId, tenantId: agent.tenantId, callId, intent: plan.intent, actor: agent };
    let response: StoredResponse | undefined;
    const result = await this.executor.sendInCall(
      { ...write, operations: plan.operations, notes: [...plan.notes], cachedRecords: payload.records },
      this.config.criticalWriteDeadlineMs,
      (outcome) => (response = inCallAnswer(writeId, payload.records, outcome)),
    );
    return { ...response!, salesforceMs: result.salesforceMs };
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
    const requested = await this.outbox.request(
      {
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
      },
      agent,
      {
        callId,
        intent: COMPLETION_INTENT,
        mode: 'deferred',
        mapVersionId: null,
        mapVersion: null,
        idempotencyKey: idempotencyKey ?? null,
      },
    );
    if (!requested) return this.replay(agent.tenantId, idempotencyKey!, hash!);
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
    const known = await this.cache.get(tenantId, callId);
    const now = new Date();
    const { plan, caller } = await this.plans.plan(tenantId, {
      kind: 'intent',
      intent: request.intent,
      callId,
      now,
      value: request.value,
      caller: request.caller,
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

/** What the agent is told after the in-call attempt: written with the records, queued, or Salesforce's refusal. */
function inCallAnswer(writeId: string, known: Record<string, string>, result: AttemptResult): StoredResponse {
  if (result.ok) {
    return { status: 200, body: { writeId, status: 'written', records: { ...known, ...result.records } } };
  }
  if (!result.dead) return { status: 202, body: { writeId, status: 'queued' } };
  const { failure } = result;
  const status = httpStatusOf(failure.code);
  return {
    status,
    body: {
      statusCode: status,
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
  };
}

import { createHash } from 'node:crypto';
import { DomainError } from '../../../common/errors/domain-error';
import type { StoredResponse, Write } from '../entities/write.entity';
import { WritesErrorCode } from '../writes-error-code';

/** Keys are scoped per tenant (a unique index on tenant and key); this hash tells two bodies apart. */
export function requestHash(route: string, callId: string, body: unknown): string {
  return createHash('sha256').update(canonicalJson({ route, callId, body })).digest('hex');
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The answer to a request whose Idempotency-Key the tenant already used: the first response again, or 409
 * when the body differs (or when the first request is still being answered). A write with no stored answer
 * older than `inFlightForMs` lost its request (the API process died mid-call): the outbox finishes such a write
 * in the background, so the retry is told where it stands, never asked to wait forever.
 */
export function replayResponse(
  existing: Write,
  hash: string,
  inFlightForMs: number,
  now: number = Date.now(),
): StoredResponse {
  if (existing.requestHash !== hash) {
    throw new DomainError(
      WritesErrorCode.IdempotencyKeyReused,
      'This Idempotency-Key was already used with a different request',
    );
  }
  if (existing.response) return existing.response;
  if (now - existing.createdAt.getTime() < inFlightForMs) {
    throw new DomainError(
      WritesErrorCode.IdempotencyRequestInProgress,
      'The first request with this Idempotency-Key is still being answered; retry in a moment',
    );
  }
  return currentState(existing);
}

/** What the first request would have answered, from the write as it stands now. */
function currentState(write: Write): StoredResponse {
  if (write.status === 'written') {
    const records = { ...write.payload.records, ...write.recordIds };
    return { status: 200, body: { writeId: write.id, status: 'written', records } };
  }
  return { status: 202, body: { writeId: write.id, status: write.status === 'dead' ? 'dead' : 'queued' } };
}

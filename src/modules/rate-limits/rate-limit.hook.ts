import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendErrorEnvelope } from '../../common/errors/send-error';
import { RateLimitsErrorCode } from './rate-limits-error-code';
import { bearerKeyOf, hashApiKey } from '../tenancy/api-key-secrets';
import type { RequestRateLimiter } from './request-rate-limiter';

/**
 * Applies the per-key limits as the first thing done with a request (a Fastify onRequest hook): before its body
 * is read and before Nest routes, authenticates or validates it, so a flood over its limit costs little more
 * than a hash and, once the key is blocked, no Redis round trip. Two limits, both answered 429 RATE_LIMITED:
 * - requests per window, counted in Redis across API instances (RequestRateLimiter);
 * - requests in flight per key in this process (`maxInFlightPerKey`, 0 = none): a bulkhead, so one tenant's
 *   slow or flooding requests cannot take every slot of the process while other tenants wait.
 * Requests without a key are left to the guard.
 */
export function limitRequestRates(
  fastify: FastifyInstance,
  limiter: RequestRateLimiter,
  maxInFlightPerKey: number,
): void {
  const inFlight = new Map<string, number>();
  fastify.addHook('onRequest', async (request, reply) => {
    const apiKey = bearerKeyOf(request.headers.authorization);
    if (!apiKey) return;
    const verdict = await limiter.consume(apiKey);
    if (!verdict.allowed) {
      const message = `This key made more than ${verdict.limit} requests in the current window; retry after ${verdict.retryAfterSeconds} s`;
      return refuse(request, reply, verdict.retryAfterSeconds, message);
    }
    if (maxInFlightPerKey === 0) return;
    const keyHash = hashApiKey(apiKey);
    const current = inFlight.get(keyHash) ?? 0;
    if (current >= maxInFlightPerKey) {
      return refuse(
        request,
        reply,
        1,
        `This key already has ${current} requests in progress; retry after 1 s`,
      );
    }
    inFlight.set(keyHash, current + 1);
    // 'close' fires once per response, finished or aborted by the client, so the count cannot leak.
    reply.raw.once('close', () => {
      const left = (inFlight.get(keyHash) ?? 1) - 1;
      if (left > 0) inFlight.set(keyHash, left);
      else inFlight.delete(keyHash);
    });
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number, message: string) {
  void reply.header('Retry-After', retryAfterSeconds);
  sendErrorEnvelope(request, reply, { code: RateLimitsErrorCode.RateLimited, message });
  return reply;
}

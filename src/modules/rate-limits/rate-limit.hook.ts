import type { FastifyInstance } from 'fastify';
import { sendErrorEnvelope } from '../../common/errors/send-error';
import { bearerKeyOf } from '../tenancy/api-key-secrets';
import type { RequestRateLimiter } from './request-rate-limiter';

/**
 * Applies the per-key limit as the first thing done with a request (a Fastify onRequest hook): before its body
 * is read and before Nest routes, authenticates or validates it, so a flood over its limit costs little more
 * than a hash and, once the key is blocked, no Redis round trip. Requests without a key are left to the guard.
 */
export function limitRequestRates(fastify: FastifyInstance, limiter: RequestRateLimiter): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const apiKey = bearerKeyOf(request.headers.authorization);
    if (!apiKey) return;
    const verdict = await limiter.consume(apiKey);
    if (verdict.allowed) return;
    void reply.header('Retry-After', verdict.retryAfterSeconds);
    sendErrorEnvelope(request, reply, {
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `This key made more than ${verdict.limit} requests in the current window; retry after ${verdict.retryAfterSeconds} s`,
    });
    return reply;
  });
}

import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import {
  type RateLimitVerdict,
  RequestRateLimiter,
} from '../../src/modules/rate-limits/request-rate-limiter';

/** The limiter on the real Redis, under a prefix of its own, with `agentLimit` requests per minute for agents. */
function limiterWith(agentLimit: number): RequestRateLimiter {
  return new RequestRateLimiter(
    new ConfigService({
      redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', queuePrefix: `test_${randomUUID()}` },
      limits: { rateLimitWindowSeconds: 60, requestsPerWindow: { agent: agentLimit, admin: 1, operator: 1 } },
    }),
  );
}

const allowedCount = (verdicts: RateLimitVerdict[]) => verdicts.filter((verdict) => verdict.allowed).length;

describe('RequestRateLimiter, requests of one key at the same time (real Redis)', () => {
  let limiter: RequestRateLimiter;
  beforeEach(async () => {
    limiter = limiterWith(10);
    // Until its connection is ready the limiter lets everything through by design; these tests need the counts.
    const { redis } = limiter as unknown as { redis: Redis };
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  });
  afterEach(() => limiter.onModuleDestroy());

  it('lets exactly the limit through, the first to arrive, whatever the batches', async () => {
    const key = `aick_agent_${randomUUID()}`;
    const first = await Promise.all(Array.from({ length: 4 }, () => limiter.consume(key)));
    expect(allowedCount(first)).toBe(4);
    const burst = await Promise.all(Array.from({ length: 25 }, () => limiter.consume(key)));
    expect(burst.map((verdict) => verdict.allowed)).toEqual([
      ...new Array<boolean>(6).fill(true),
      ...new Array<boolean>(19).fill(false),
    ]);
    expect(burst[24]).toEqual({ allowed: false, limit: 10, retryAfterSeconds: expect.any(Number) });
    // Blocked in memory from now on: still refused.
    expect(await limiter.consume(key)).toMatchObject({ allowed: false });
    // Another key has its own allowance.
    expect(
      allowedCount(
        await Promise.all(Array.from({ length: 12 }, () => limiter.consume(`aick_agent_${randomUUID()}`))),
      ),
    ).toBe(12);
  });

  it('sends the requests that arrived while a count was on its way as one count', async () => {
    const counts = jest.spyOn(RateLimiterRedis.prototype, 'consume');
    const key = `aick_agent_${randomUUID()}`;
    const verdicts = await Promise.all(Array.from({ length: 14 }, () => limiter.consume(key)));
    expect(allowedCount(verdicts)).toBe(10);
    expect(counts.mock.calls.map(([, points]) => points)).toEqual([1, 13]);
    counts.mockRestore();
  });
});

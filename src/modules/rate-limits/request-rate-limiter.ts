import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Role } from '../../common/auth/principal';
import type { LimitsConfig } from '../../config/limits.config';
import type { RedisConfig } from '../../config/redis.config';
import { hashApiKey, roleClaimedBy } from '../tenancy/api-key-secrets';

const REDIS_COMMAND_TIMEOUT_MS = 100;

export type RateLimitVerdict =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: number };

/**
 * Counts each API key's requests in Redis (rate-limiter-flexible), so the limit holds across every API
 * instance. Each key has its own count, so one tenant's flood never uses up another tenant's allowance.
 * Keys are tenant-scoped: counting per key isolates tenants.
 * When Redis does not answer, requests are let through: a limiter must never stop live calls by itself.
 */
@Injectable()
export class RequestRateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RequestRateLimiter.name);
  private readonly redis: Redis;
  private readonly limiters: Record<Role, RateLimiterRedis>;
  /** Per role and key hash, while a count is on the way: the requests that arrived since, in order. */
  private readonly waitingByKey = new Map<string, Array<(verdict: RateLimitVerdict) => void>>();

  constructor(config: ConfigService) {
    const redis = config.getOrThrow<RedisConfig>('redis');
    const limits = config.getOrThrow<LimitsConfig>('limits');
    // No offline queue and a short command timeout: while Redis is away or stalls, a count fails fast (and the
    // request goes through) instead of waiting for a reconnect inside a live call's budget.
    this.redis = new Redis(redis.url, {
      enableOfflineQueue: false,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    this.redis.on('error', (error: Error) => this.logger.warn(`rate-limit Redis: ${error.message}`));
    const limiterFor = (role: Role) =>
      new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${redis.queuePrefix}:rate-limit:${role}`,
        points: limits.requestsPerWindow[role],
        duration: limits.rateLimitWindowSeconds,
        rejectIfRedisNotReady: true,
        // A key that has used its allowance is refused from memory until its window ends: a flood then costs
        // this process no Redis round trip per request.
        inMemoryBlockOnConsumed: limits.requestsPerWindow[role],
      });
    this.limiters = {
      agent: limiterFor('agent'),
      admin: limiterFor('admin'),
      operator: limiterFor('operator'),
    };
  }

  /**
   * Counts one request made with `apiKey` and says whether it is within the key's limit. Keyed by the key's
   * hash (never the key itself), with the limit of the role its prefix claims.
   *
   * One round trip per key at a time: requests of a key that arrive while its count is on the way to Redis wait,
   * then go together as one increment by their number. That is exactly what one increment each in turn would
   * do — the increment returns the new total, so the i-th of n requests is request `total − n + i` of the
   * window — at the cost of one Redis command instead of n.
   */
  consume(apiKey: string): Promise<RateLimitVerdict> {
    const role = roleClaimedBy(apiKey);
    const keyHash = hashApiKey(apiKey);
    const countKey = `${role}:${keyHash}`;
    const waiting = this.waitingByKey.get(countKey);
    if (waiting) return new Promise((resolve) => waiting.push(resolve));
    this.waitingByKey.set(countKey, []);
    return new Promise((resolve) => void this.countInTurn(countKey, this.limiters[role], keyHash, [resolve]));
  }

  /** Counts `batch`, then whatever arrived meanwhile, until nothing waits for this key. */
  private async countInTurn(
    countKey: string,
    limiter: RateLimiterRedis,
    keyHash: string,
    batch: Array<(verdict: RateLimitVerdict) => void>,
  ): Promise<void> {
    for (let requests = batch; requests.length > 0; requests = this.waitingByKey.get(countKey)!.splice(0)) {
      const verdicts = await this.count(limiter, keyHash, requests.length);
      requests.forEach((answer, index) => answer(verdicts[index]));
    }
    this.waitingByKey.delete(countKey);
  }

  /** Counts `requests` requests of one key at once; their verdicts in the order they arrived. */
  private async count(
    limiter: RateLimiterRedis,
    keyHash: string,
    requests: number,
  ): Promise<RateLimitVerdict[]> {
    try {
      await limiter.consume(keyHash, requests);
      return new Array<RateLimitVerdict>(requests).fill({ allowed: true });
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        // A key blocked in memory is refused without a count (consumedPoints 0): all of them are over the limit.
        const countedBefore = outcome.consumedPoints - requests;
        const allowed = outcome.consumedPoints === 0 ? 0 : Math.max(0, limiter.points - countedBefore);
        const refused: RateLimitVerdict = {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)),
          limit: limiter.points,
        };
        return Array.from({ length: requests }, (_, index) =>
          index < allowed ? { allowed: true } : refused,
        );
      }
      this.logger.warn(
        `rate limit not checked (${outcome instanceof Error ? outcome.message : 'unknown error'})`,
      );
      return new Array<RateLimitVerdict>(requests).fill({ allowed: true });
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

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
   */
  async consume(apiKey: string): Promise<RateLimitVerdict> {
    const limiter = this.limiters[roleClaimedBy(apiKey)];
    try {
      await limiter.consume(hashApiKey(apiKey));
      return { allowed: true };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)),
          limit: limiter.points,
        };
      }
      this.logger.warn(
        `rate limit not checked (${outcome instanceof Error ? outcome.message : 'unknown error'})`,
      );
      return { allowed: true };
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { numberOr } from './number-or';

export class RedisEnvironment {
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Key prefix for every Bull queue, so several deployments (or test runs) can share one Redis. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_:-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits, _ : or -' })
  QUEUE_PREFIX?: string;

  /** How long a worker's lock on a running job lasts without renewal: a killed worker's jobs return after it. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  QUEUE_LOCK_DURATION_MS?: number;

  /** How often each worker looks for jobs whose lock expired (stalled) and gives them back to the queue. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(600_000)
  QUEUE_STALLED_INTERVAL_MS?: number;

  /** How many times one job may stall before Bull gives it up (the write is then dead-lettered). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  QUEUE_MAX_STALLED_COUNT?: number;
}

export const redisConfig = registerAs('redis', () => ({
  url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  queuePrefix: process.env.QUEUE_PREFIX ?? 'aicall',
  lockDurationMs: numberOr(process.env.QUEUE_LOCK_DURATION_MS, 5000),
  stalledIntervalMs: numberOr(process.env.QUEUE_STALLED_INTERVAL_MS, 2000),
  maxStalledCount: numberOr(process.env.QUEUE_MAX_STALLED_COUNT, 3),
}));
export type RedisConfig = ReturnType<typeof redisConfig>;

import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from '../modules/queue/retry-policy';
import { numberOr } from './number-or';

export class WritesEnvironment {
  /** How long a critical intent waits for Salesforce before answering 202 and finishing in the background. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  CRITICAL_WRITE_DEADLINE_MS?: number;

  /** Delays between attempts of a queued write; the attempts are the first try plus one per delay. */
  @IsOptional()
  @Matches(/^\d{1,9}(,\d{1,9}){0,19}$/, {
    message: 'RETRY_SCHEDULE_MS must be a comma-separated list of 1-20 delays in milliseconds',
  })
  RETRY_SCHEDULE_MS?: string;

  /** Region of caller numbers written without a country code (ISO 3166 alpha-2). */
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'DEFAULT_PHONE_REGION must be a two-letter country code such as US' })
  DEFAULT_PHONE_REGION?: string;

  /** How long a call's lookup and record ids stay cached (Redis). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  CALL_CACHE_TTL_SECONDS?: number;

  /** Bound on handing a job to Redis from a request; past it the write waits in Postgres (pending). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(10_000)
  QUEUE_ADD_TIMEOUT_MS?: number;

  /** Queued writes one worker process sends at once. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(256)
  WRITE_WORKER_CONCURRENCY?: number;

  /** How often the worker re-enqueues unfinished writes Redis does not know (and runs once at start-up). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  OUTBOX_SWEEP_INTERVAL_MS?: number;

  /** A write untouched for less than this is left alone by the sweep (its request may still be enqueuing it). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  OUTBOX_SWEEP_GRACE_MS?: number;
}

export const writesConfig = registerAs('writes', () => ({
  criticalWriteDeadlineMs: numberOr(process.env.CRITICAL_WRITE_DEADLINE_MS, 1500),
  retryScheduleMs: process.env.RETRY_SCHEDULE_MS
    ? parseRetrySchedule(process.env.RETRY_SCHEDULE_MS)
    : [...DEFAULT_RETRY_SCHEDULE_MS],
  defaultPhoneRegion: process.env.DEFAULT_PHONE_REGION ?? 'US',
  callCacheTtlSeconds: numberOr(process.env.CALL_CACHE_TTL_SECONDS, 4 * 3600),
  queueAddTimeoutMs: numberOr(process.env.QUEUE_ADD_TIMEOUT_MS, 250),
  workerConcurrency: numberOr(process.env.WRITE_WORKER_CONCURRENCY, 16),
  sweepIntervalMs: numberOr(process.env.OUTBOX_SWEEP_INTERVAL_MS, 30_000),
  sweepGraceMs: numberOr(process.env.OUTBOX_SWEEP_GRACE_MS, 10_000),
}));
export type WritesConfig = ReturnType<typeof writesConfig>;

import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from '../modules/queue/retry-policy';

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
}

const numberOr = (value: string | undefined, fallback: number) => (value ? Number(value) : fallback);

export const writesConfig = registerAs('writes', () => ({
  criticalWriteDeadlineMs: numberOr(process.env.CRITICAL_WRITE_DEADLINE_MS, 1500),
  retryScheduleMs: process.env.RETRY_SCHEDULE_MS
    ? parseRetrySchedule(process.env.RETRY_SCHEDULE_MS)
    : [...DEFAULT_RETRY_SCHEDULE_MS],
  defaultPhoneRegion: process.env.DEFAULT_PHONE_REGION ?? 'US',
  callCacheTtlSeconds: numberOr(process.env.CALL_CACHE_TTL_SECONDS, 4 * 3600),
  queueAddTimeoutMs: numberOr(process.env.QUEUE_ADD_TIMEOUT_MS, 250),
  workerConcurrency: numberOr(process.env.WRITE_WORKER_CONCURRENCY, 16),
}));
export type WritesConfig = ReturnType<typeof writesConfig>;

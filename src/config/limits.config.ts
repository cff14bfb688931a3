import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { numberOr } from './number-or';

/** Per-key request limits (Redis-backed, so they hold across API instances) and load shedding thresholds. */
export class LimitsEnvironment {
  /**
   * Length of one rate-limit window; each key's count starts at its first request of the window. Short by
   * default, so an allowance cannot be spent in one burst and a refused caller waits at most this long.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  RATE_LIMIT_WINDOW_SECONDS?: number;

  /** Requests one agent key may make per window: generous, since a key serves every live call of a tenant. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_AGENT_REQUESTS?: number;

  /** Requests one admin key may make per window. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_ADMIN_REQUESTS?: number;

  /** Requests the operator key may make per window. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_OPERATOR_REQUESTS?: number;

  /** Requests one key may have in progress at once in one API process (a bulkhead); 0 turns it off. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  RATE_LIMIT_MAX_IN_FLIGHT_PER_KEY?: number;

  /** Mean event-loop delay (ms, per sample) past which requests are shed with 503; 0 turns the check off. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS?: number;

  /** Event-loop utilisation (0-1, per sample) past which requests are shed; 0 (the default) turns it off. */
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION?: number;

  /** Requests one API process works on at once; past it, new requests are shed; 0 turns the bound off. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  LOAD_SHED_MAX_IN_FLIGHT?: number;

  /** How often the load is sampled; a shed decision holds until the next sample. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(10_000)
  LOAD_SHED_SAMPLE_INTERVAL_MS?: number;

  /** The Retry-After (seconds) of a shed request. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(300)
  LOAD_SHED_RETRY_AFTER_SECONDS?: number;
}

export const limitsConfig = registerAs('limits', () => {
  // Under test, shedding is off unless a test sets it: a busy test machine must not shed unrelated tests.
  const shedDefault = (fallback: number) => (process.env.NODE_ENV === 'test' ? 0 : fallback);
  return {
    rateLimitWindowSeconds: numberOr(process.env.RATE_LIMIT_WINDOW_SECONDS, 1),
    requestsPerWindow: {
      agent: numberOr(process.env.RATE_LIMIT_AGENT_REQUESTS, 200),
      admin: numberOr(process.env.RATE_LIMIT_ADMIN_REQUESTS, 100),
      operator: numberOr(process.env.RATE_LIMIT_OPERATOR_REQUESTS, 100),
    },
    maxInFlightPerKey: numberOr(process.env.RATE_LIMIT_MAX_IN_FLIGHT_PER_KEY, 128),
    shedMaxEventLoopDelayMs: numberOr(process.env.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS, shedDefault(200)),
    // Off by default: a process busy through a whole sample may still answer in time; delay is what callers feel.
    shedMaxEventLoopUtilization: numberOr(process.env.LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION, 0),
    shedMaxInFlight: numberOr(process.env.LOAD_SHED_MAX_IN_FLIGHT, shedDefault(512)),
    shedSampleIntervalMs: numberOr(process.env.LOAD_SHED_SAMPLE_INTERVAL_MS, 500),
    shedRetryAfterSeconds: numberOr(process.env.LOAD_SHED_RETRY_AFTER_SECONDS, 2),
  };
});
export type LimitsConfig = ReturnType<typeof limitsConfig>;

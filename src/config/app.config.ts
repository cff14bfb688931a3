import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const NODE_ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type NodeEnvironment = (typeof NODE_ENVIRONMENTS)[number];

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export class AppEnvironment {
  @IsOptional()
  @IsIn(NODE_ENVIRONMENTS)
  NODE_ENV?: NodeEnvironment;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  /** `pretty` (pino-pretty, for people) or `json` (one line per event, for log collectors). */
  @IsOptional()
  @IsIn(LOG_FORMATS)
  LOG_FORMAT?: LogFormat;

  /** The worker serves Prometheus metrics on this port (GET /metrics); unset: it serves none. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  WORKER_METRICS_PORT?: number;

  /** Largest accepted request body; agent payloads are small, so anything bigger is refused early. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES?: number;
}

export const appConfig = registerAs('app', () => {
  const nodeEnv = (process.env.NODE_ENV ?? 'development') as NodeEnvironment;
  return {
    nodeEnv,
    isProduction: nodeEnv === 'production',
    port: Number(process.env.PORT ?? 3000),
    logLevel: process.env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    // Readable logs where a person watches them (development, on a terminal); JSON lines everywhere else.
    logFormat: (process.env.LOG_FORMAT ??
      (nodeEnv === 'development' && process.stdout.isTTY ? 'pretty' : 'json')) as LogFormat,
    workerMetricsPort: process.env.WORKER_METRICS_PORT ? Number(process.env.WORKER_METRICS_PORT) : undefined,
    bodyLimitBytes: Number(process.env.BODY_LIMIT_BYTES ?? 256 * 1024),
  };
});
export type AppConfig = ReturnType<typeof appConfig>;

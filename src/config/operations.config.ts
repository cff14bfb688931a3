import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';

export class OperationsEnvironment {
  /** Slack incoming webhook of the admin channel; unset: dead-letter alerts are only logged. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'SLACK_WEBHOOK_URL must be a URL' })
  SLACK_WEBHOOK_URL?: string;

  /** Where admins reach this API; the replay links in alerts start with it. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'PUBLIC_BASE_URL must be a URL' })
  PUBLIC_BASE_URL?: string;

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

  /** Dead-letter alerts arriving within this window go out as one Slack message. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  ALERT_BATCH_WINDOW_MS?: number;
}

const numberOr = (value: string | undefined, fallback: number) => (value ? Number(value) : fallback);

export const operationsConfig = registerAs('operations', () => ({
  slackWebhookUrl: process.env.SLACK_WEBHOOK_URL || undefined,
  publicBaseUrl: (process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(
    /\/+$/,
    '',
  ),
  sweepIntervalMs: numberOr(process.env.OUTBOX_SWEEP_INTERVAL_MS, 30_000),
  sweepGraceMs: numberOr(process.env.OUTBOX_SWEEP_GRACE_MS, 10_000),
  alertBatchWindowMs: numberOr(process.env.ALERT_BATCH_WINDOW_MS, 2000),
  /** Dead letters listed in one Slack message at most; the rest are counted. */
  alertBatchMax: 20,
}));
export type OperationsConfig = ReturnType<typeof operationsConfig>;

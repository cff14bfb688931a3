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
  alertBatchWindowMs: numberOr(process.env.ALERT_BATCH_WINDOW_MS, 2000),
  /** Dead letters listed in one Slack message at most; the rest are counted. */
  alertBatchMax: 20,
}));
export type OperationsConfig = ReturnType<typeof operationsConfig>;

import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IncomingWebhook } from '@slack/webhook';
import type { OperationsConfig } from '../../../config/operations.config';
import { AlertNotifier, type DeadLetterAlert } from './alert-notifier';

/** How many dead letters one message lists; the rest are counted. */
export const ALERT_LINES_MAX = 20;

/** One Slack message for a batch of dead letters, through the incoming webhook of the admin channel. */
@Injectable()
export class SlackAlertNotifier extends AlertNotifier {
  private readonly logger = new Logger(SlackAlertNotifier.name);
  private readonly webhook?: IncomingWebhook;

  constructor(config: ConfigService) {
    super();
    const url = config.getOrThrow<OperationsConfig>('operations').slackWebhookUrl;
    this.webhook = url ? new IncomingWebhook(url, { timeout: 5000 }) : undefined;
  }

  async notify(alerts: DeadLetterAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    if (!this.webhook) {
      this.logger.warn({ deadLetters: alerts.length }, 'dead letters recorded; SLACK_WEBHOOK_URL is not set');
      return;
    }
    await this.webhook.send({ text: slackText(alerts) });
  }
}

export function slackText(alerts: DeadLetterAlert[]): string {
  const head =
    alerts.length === 1
      ? ':rotating_light: 1 write dead-lettered'
      : `:rotating_light: ${alerts.length} writes dead-lettered`;
  const lines = alerts
    .slice(0, ALERT_LINES_MAX)
    .map(
      (alert) =>
        `• tenant *${alert.tenantName}* (${alert.tenantId}), intent \`${alert.intent}\`, call ${alert.callId}: ` +
        `${alert.errorCode}: ${alert.errorMessage}\n  replay: POST ${alert.replayUrl}`,
    );
  const more = alerts.length > ALERT_LINES_MAX ? [`…and ${alerts.length - ALERT_LINES_MAX} more`] : [];
  return [head, ...lines, ...more].join('\n');
}

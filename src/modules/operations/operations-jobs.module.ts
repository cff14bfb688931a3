import { Module } from '@nestjs/common';
import { WritesModule } from '../writes/writes.module';
import { AlertNotifier } from './alerts/alert-notifier';
import { SlackAlertNotifier } from './alerts/slack-alert-notifier';
import { DeadLetterAlertProcessor } from './jobs/dead-letter-alert.processor';
import { OutboxSweeper } from './jobs/outbox-sweeper';
import { OperationsModule } from './operations.module';

/** The worker's side of failure handling: dead-letter alerts (batched to Slack) and the outbox sweep. */
@Module({
  imports: [OperationsModule, WritesModule],
  providers: [
    { provide: AlertNotifier, useClass: SlackAlertNotifier },
    DeadLetterAlertProcessor,
    OutboxSweeper,
  ],
  exports: [OutboxSweeper],
})
export class OperationsJobsModule {}

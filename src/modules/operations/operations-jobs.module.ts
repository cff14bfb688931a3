import { Module } from '@nestjs/common';
import { WritesModule } from '../writes/writes.module';
import { AlertNotifier } from './alerts/alert-notifier';
import { SlackAlertNotifier } from './alerts/slack-alert-notifier';
import { DeadLetterAlertProcessor } from './jobs/dead-letter-alert.processor';
import { DeadLetterSweeper } from './jobs/dead-letter-sweeper';
import { OperationsModule } from './operations.module';

/** The worker's side of failure handling: dead-letter alerts (batched to Slack) and the dead-letter sweep. */
@Module({
  imports: [OperationsModule, WritesModule],
  providers: [
    { provide: AlertNotifier, useClass: SlackAlertNotifier },
    DeadLetterAlertProcessor,
    DeadLetterSweeper,
  ],
})
export class OperationsJobsModule {}

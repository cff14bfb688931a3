import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { OperationsConfig } from '../../../config/operations.config';
import { QueueName } from '../../queue/queue-names';
import { AlertBatcher } from '../alerts/alert-batcher';
import { AlertNotifier, type DeadLetterAlert } from '../alerts/alert-notifier';
import { AlertFailedEvent, OperationsEvents, SYSTEM_ACTOR } from '../events/operations.events';
import { DEAD_LETTER_ALERT_JOB, type DeadLetterAlertJobData } from '../services/dead-letter-alert-job';

/**
 * The worker's side of the dead-letter queue: one job per dead letter (durable, retried by Bull), batched in
 * process into one Slack message per window. The dead letter is already in Postgres: a Slack failure only
 * retries the job, and past its last attempt is logged and audited.
 */
@Injectable()
export class DeadLetterAlertProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterAlertProcessor.name);
  private readonly config: OperationsConfig;
  private readonly batcher: AlertBatcher;

  constructor(
    @InjectQueue(QueueName.DeadLetter) private readonly queue: Queue<DeadLetterAlertJobData>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifier: AlertNotifier,
    private readonly events: EventEmitter2,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<OperationsConfig>('operations');
    this.batcher = new AlertBatcher(
      (alerts) => this.notifier.notify(alerts),
      this.config.alertBatchWindowMs,
      this.config.alertBatchMax,
    );
  }

  onApplicationBootstrap(): void {
    // Concurrency = the batch size, so a burst is in flight together and leaves as one message.
    void this.queue.process(DEAD_LETTER_ALERT_JOB, this.config.alertBatchMax, (job) => this.handle(job));
    this.queue.on('failed', (job: Job<DeadLetterAlertJobData> | null, error: Error) => {
      if (job) void this.onFailed(job, error);
    });
  }

  onApplicationShutdown(): void {
    this.batcher.flush();
  }

  async handle(job: Job<DeadLetterAlertJobData>): Promise<void> {
    const alert = await this.load(job.data.deadLetterId);
    if (!alert) return;
    await this.batcher.add(alert);
    await this.dataSource.query(`UPDATE dead_letters SET alerted_at = now() WHERE id = $1`, [
      alert.deadLetterId,
    ]);
  }

  private async onFailed(job: Job<DeadLetterAlertJobData>, error: Error): Promise<void> {
    const final = job.finishedOn != null;
    this.logger[final ? 'error' : 'warn'](
      { deadLetterId: job.data.deadLetterId, attempt: job.attemptsMade, err: error.message },
      final ? 'dead-letter alert given up' : 'dead-letter alert failed; retrying',
    );
    if (!final) return;
    const alert = await this.load(job.data.deadLetterId).catch(() => null);
    if (alert) {
      this.events.emit(
        OperationsEvents.AlertFailed,
        new AlertFailedEvent(alert.tenantId, alert.deadLetterId, SYSTEM_ACTOR, error.message),
      );
    }
  }

  private async load(deadLetterId: string): Promise<DeadLetterAlert | null> {
    const [row] = await this.dataSource.query<
      Array<{
        id: string;
        tenant_id: string;
        tenant_name: string;
        write_id: string;
        call_id: string;
        intent: string;
        error_code: string;
        error_message: string;
      }>
    >(
      `SELECT d.id, d.tenant_id, t.name AS tenant_name, d.write_id, d.call_id, d.intent, d.error_code,
         d.error_message
       FROM dead_letters d JOIN tenants t ON t.id = d.tenant_id WHERE d.id = $1`,
      [deadLetterId],
    );
    if (!row) return null;
    return {
      deadLetterId: row.id,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      writeId: row.write_id,
      callId: row.call_id,
      intent: row.intent,
      errorCode: row.error_code,
      errorMessage: row.error_message,
      replayUrl: `${this.config.publicBaseUrl}/v1/dead-letters/${row.id}/replay`,
    };
  }
}

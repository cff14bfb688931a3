import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job, Queue } from 'bull';
import type { WritesConfig } from '../../../config/writes.config';
import { isDatabaseUnavailable } from '../../../database/database-unavailable';
import { QueueName } from '../../queue/queue-names';
import { isLastAttempt } from '../../queue/retry-policy';
import { WriteExecutor } from '../services/write-executor';
import { SEND_WRITE_JOB, type SendWriteJobData } from '../services/write-queue';

/**
 * The worker's side of the write queue (registered only by WriteJobsModule, in the worker process): each job
 * loads its write from Postgres and sends what is left of it. Thin: ids and durations in the logs, never payloads.
 */
@Injectable()
export class SendWriteProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(SendWriteProcessor.name);
  private readonly concurrency: number;

  constructor(
    @InjectQueue(QueueName.SalesforceWrites) private readonly queue: Queue<SendWriteJobData>,
    private readonly executor: WriteExecutor,
    config: ConfigService,
  ) {
    this.concurrency = config.getOrThrow<WritesConfig>('writes').workerConcurrency;
  }

  onApplicationBootstrap(): void {
    void this.queue.process(SEND_WRITE_JOB, this.concurrency, (job: Job<SendWriteJobData>) =>
      this.handle(job),
    );
    this.queue.on(
      'failed',
      (job: Job<SendWriteJobData> | null, error: Error) => void this.onFailed(job, error),
    );
  }

  async handle(job: Job<SendWriteJobData>): Promise<void> {
    const started = performance.now();
    await this.executor.run(job.data.writeId, {
      attemptsMade: job.attemptsMade,
      lastAttempt: isLastAttempt(job.attemptsMade, job.opts.attempts),
    });
    this.logger.debug(
      { writeId: job.data.writeId, ms: Math.round(performance.now() - started) },
      'write job done',
    );
  }

  /**
   * Bull gave the job up (retries spent, -1, stalled too often): the write is dead if the runner did not say so.
   * Not when Postgres was unreachable: that says nothing about the write, which stays unfinished in Postgres
   * and is enqueued again by the outbox sweep once the database is back.
   */
  private async onFailed(job: Job<SendWriteJobData> | null, error: Error): Promise<void> {
    if (!job || job.finishedOn == null) return;
    if (isDatabaseUnavailable(error)) {
      this.logger.warn({ writeId: job.data.writeId }, 'write job gave up while Postgres was unreachable');
      return;
    }
    try {
      await this.executor.markDeadById(job.data.writeId, error.message, job.attemptsMade);
    } catch (failure) {
      this.logger.error({ writeId: job.data.writeId, err: failure }, 'could not mark the write dead');
    }
  }
}

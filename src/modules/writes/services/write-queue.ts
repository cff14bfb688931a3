import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bull';
import type { WritesConfig } from '../../../config/writes.config';
import { DEFAULT_JOB_OPTIONS, QueueName } from '../../queue/queue-names';
import { retryJobOptions } from '../../queue/retry-policy';
import { within } from './bounded';

/** The job that sends (the rest of) one write; its id is the write's id, so a write is queued at most once. */
export const SEND_WRITE_JOB = 'send-write';

export interface SendWriteJobData {
  writeId: string;
  tenantId: string;
}

/**
 * Hands writes to the worker through Bull. Bounded: while Redis is down `queue.add` never settles
 * (stack-notes §3), so past QUEUE_ADD_TIMEOUT_MS the write simply stays pending in Postgres, where the
 * failure-handling sweep finds it.
 */
@Injectable()
export class WriteQueue {
  private readonly logger = new Logger(WriteQueue.name);
  private readonly config: WritesConfig;

  constructor(
    @InjectQueue(QueueName.SalesforceWrites) private readonly queue: Queue<SendWriteJobData>,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<WritesConfig>('writes');
  }

  /**
   * True when Redis took the job in time. `attemptsBefore`: attempts the write already made outside the queue
   * (1 after a failed in-call try), which the job's retries continue from.
   */
  async enqueue(data: SendWriteJobData, attemptsBefore = 0): Promise<boolean> {
    const added = await within(
      this.queue
        .add(SEND_WRITE_JOB, data, {
          ...DEFAULT_JOB_OPTIONS,
          ...retryJobOptions(this.config.retryScheduleMs, attemptsBefore),
          jobId: data.writeId,
        })
        .then(() => true),
      this.config.queueAddTimeoutMs,
      false,
    );
    if (!added)
      this.logger.warn({ writeId: data.writeId }, 'write not queued (Redis slow or down); it stays pending');
    return added;
  }
}

import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bull';
import type { WritesConfig } from '../../../config/writes.config';
import { DEFAULT_JOB_OPTIONS, QueueName } from '../../queue/queue-names';
import { retryJobOptions } from '../../queue/retry-policy';
import { within } from './bounded';

/**
 * The job that sends (the rest of) one write. Its id is the write's id (the job-id rule), so a write is queued at
 * most once, and a finished job must be removed before its write can be queued again.
 */
export const SEND_WRITE_JOB = 'send-write';

export interface SendWriteJobData {
  writeId: string;
  tenantId: string;
}

/** Job states in which Bull will still run the job. */
const LIVE_STATES = new Set(['waiting', 'delayed', 'active', 'paused']);
const REDIS_BOUND_MS = 1000;

/**
 * Hands writes to the worker through Bull, and alone knows how a write's job is named. Bounded: while Redis is down `queue.add` never settles
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

  /**
   * Queues a write whose earlier job may be finished but kept (a replayed write): that job is removed first,
   * since adding its id again would be a silent no-op. False when Redis did not answer (the write stays pending
   * in Postgres, where the stale-write sweep finds it).
   */
  async requeue(data: SendWriteJobData): Promise<boolean> {
    const cleared = await within(
      this.removeFinishedJob(data.writeId).then(() => true),
      REDIS_BOUND_MS,
      false,
    );
    return cleared && this.enqueue(data);
  }

  /** True while Bull will still run the write's job; a finished job kept for it is removed. */
  async hasLiveJob(writeId: string): Promise<boolean> {
    const job = await this.queue.getJob(writeId);
    if (!job) return false;
    if (LIVE_STATES.has(await job.getState())) return true;
    await job.remove();
    return false;
  }

  private async removeFinishedJob(writeId: string): Promise<void> {
    const job = await this.queue.getJob(writeId);
    if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove();
  }
}

import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PeriodicPass } from '../../../common/periodic-pass';
import type { Queue } from 'bull';
import type { WritesConfig } from '../../../config/writes.config';
import { QueueName } from '../../queue/queue-names';
import { within } from '../services/bounded';
import { WriteOutbox } from '../services/write-outbox';
import { WriteQueue } from '../services/write-queue';

const REDIS_BOUND_MS = 2000;
const BATCH = 500;

/**
 * Postgres is the truth, Redis only carries work (stack-notes §3). At start-up and every
 * OUTBOX_SWEEP_INTERVAL_MS the worker gives stalled jobs of dead workers back to the queue and enqueues the
 * unfinished writes whose job Redis lost (restart, flush, an add that timed out). Job ids are the write ids, so
 * concurrent sweeps by several workers add nothing twice; a write touched less than OUTBOX_SWEEP_GRACE_MS ago
 * is left to the request still handling it.
 */
@Injectable()
export class StaleWriteSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StaleWriteSweeper.name);
  private readonly config: WritesConfig;
  private readonly periodic = new PeriodicPass('stale-write sweep', () => this.pass(), this.logger);

  constructor(
    @InjectQueue(QueueName.SalesforceWrites) private readonly writeJobs: Queue,
    private readonly outbox: WriteOutbox,
    private readonly writeQueue: WriteQueue,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<WritesConfig>('writes');
  }

  onApplicationBootstrap(): void {
    this.periodic.start(this.config.sweepIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  private async pass(): Promise<number> {
    await this.bounded(this.moveStalledJobsToWait());
    let requeued = 0;
    for (const write of await this.outbox.staleUnfinished(this.config.sweepGraceMs, BATCH)) {
      if (await this.bounded(this.writeQueue.hasLiveJob(write.id))) continue;
      if (!(await this.writeQueue.enqueue({ writeId: write.id, tenantId: write.tenant_id }))) {
        throw new Error('Redis did not take a job');
      }
      requeued++;
    }
    if (requeued > 0) this.logger.warn({ requeued }, 'stale-write sweep re-enqueued writes Redis had lost');
    return requeued;
  }

  /** Jobs of a killed worker whose lock expired go back to wait now, not at Bull's next stalled check. */
  private async moveStalledJobsToWait(): Promise<void> {
    const queue = this.writeJobs as Queue & { moveUnlockedJobsToWait?: () => Promise<unknown> };
    await queue.moveUnlockedJobsToWait?.();
  }

  private async bounded<T>(work: Promise<T>): Promise<T> {
    const timeout = Symbol('timeout');
    const result = await within<T | typeof timeout>(work, REDIS_BOUND_MS, timeout);
    if (result === timeout) throw new Error('Redis did not answer in time');
    return result;
  }
}

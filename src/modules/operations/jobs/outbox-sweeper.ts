import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { OperationsConfig } from '../../../config/operations.config';
import { QueueName } from '../../queue/queue-names';
import { within } from '../../writes/services/bounded';
import { WriteQueue } from '../../writes/services/write-queue';
import { DeadLettersService } from '../services/dead-letters.service';

const REDIS_BOUND_MS = 2000;
const BATCH = 500;
/** Job states in which Bull will still run the job: nothing to do. */
const LIVE_STATES = new Set(['waiting', 'delayed', 'active', 'paused']);

export interface SweepFigures {
  requeued: number;
  deadLettered: number;
  alertsQueued: number;
}

/**
 * Postgres is the truth, Redis only carries work (stack-notes §3). At start-up and every
 * OUTBOX_SWEEP_INTERVAL_MS the worker: enqueues unfinished writes whose job Redis lost (restart, flush, an add
 * that timed out); gives stalled jobs of dead workers back to the queue; records dead letters an event missed;
 * and enqueues alerts Redis lost. Job ids are the write ids, so concurrent sweeps by several workers add
 * nothing twice; a write touched less than OUTBOX_SWEEP_GRACE_MS ago is left to the request still handling it.
 */
@Injectable()
export class OutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSweeper.name);
  private readonly config: OperationsConfig;
  private timer?: NodeJS.Timeout;
  private running?: Promise<SweepFigures | null>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.SalesforceWrites) private readonly writeJobs: Queue,
    private readonly writeQueue: WriteQueue,
    private readonly deadLetters: DeadLettersService,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<OperationsConfig>('operations');
  }

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; a pass already under way is joined, not doubled. Null when Redis or Postgres did not answer. */
  sweep(): Promise<SweepFigures | null> {
    this.running ??= this.pass()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'outbox sweep skipped');
        return null;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<SweepFigures> {
    const figures: SweepFigures = { requeued: 0, deadLettered: 0, alertsQueued: 0 };
    await this.bounded(this.moveStalledJobsToWait());
    const unfinished = await this.dataSource.query<Array<{ id: string; tenant_id: string }>>(
      `SELECT id, tenant_id FROM writes
       WHERE status IN ('pending', 'retrying') AND updated_at < now() - make_interval(secs => $1::float / 1000)
       ORDER BY updated_at LIMIT ${BATCH}`,
      [this.config.sweepGraceMs],
    );
    for (const write of unfinished) {
      if (await this.bounded(this.hasLiveJob(write.id))) continue;
      if (await this.writeQueue.enqueue({ writeId: write.id, tenantId: write.tenant_id })) figures.requeued++;
      else throw new Error('Redis did not take a job');
    }
    const missed = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT w.id FROM writes w LEFT JOIN dead_letters d ON d.write_id = w.id
       WHERE w.status = 'dead' AND w.updated_at < now() - make_interval(secs => $1::float / 1000)
         AND (d.id IS NULL OR (d.status = 'replayed' AND w.updated_at > d.replayed_at))
       LIMIT ${BATCH}`,
      [this.config.sweepGraceMs],
    );
    for (const write of missed) {
      if (await this.deadLetters.recordFromWrite(write.id, null)) figures.deadLettered++;
    }
    const unalerted = await this.dataSource.query<Array<{ id: string; deaths: number }>>(
      `SELECT id, deaths FROM dead_letters
       WHERE status = 'open' AND alerted_at IS NULL AND updated_at < now() - make_interval(secs => $1::float / 1000)
       LIMIT ${BATCH}`,
      [this.config.sweepGraceMs],
    );
    for (const deadLetter of unalerted) {
      if (await this.deadLetters.enqueueAlert(deadLetter)) figures.alertsQueued++;
    }
    if (figures.requeued + figures.deadLettered + figures.alertsQueued > 0)
      this.logger.warn(figures, 'outbox sweep recovered work Redis had lost');
    return figures;
  }

  /**
   * True while Bull will still run the write's job. A finished job kept for a write that is unfinished (a
   * replay whose removal did not happen) is removed, since adding its id again would be a silent no-op.
   */
  private async hasLiveJob(writeId: string): Promise<boolean> {
    const job = await this.writeJobs.getJob(writeId);
    if (!job) return false;
    const state = await job.getState();
    if (LIVE_STATES.has(state)) return true;
    await job.remove();
    return false;
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

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PeriodicPass } from '../../../common/periodic-pass';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { WritesConfig } from '../../../config/writes.config';
import { DeadLettersService } from '../services/dead-letters.service';

const BATCH = 500;

interface DeadLetterSweepFigures {
  deadLettered: number;
  alertsQueued: number;
}

/**
 * The dead-letter side of the outbox sweep (its writes side is the writes module's StaleWriteSweeper), on the
 * same interval: records dead letters an event missed (a crash between a write's death and its listener), and
 * enqueues the alerts Redis lost. Both are idempotent, so concurrent sweeps by several workers double nothing.
 */
@Injectable()
export class DeadLetterSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterSweeper.name);
  private readonly config: WritesConfig;
  private readonly periodic = new PeriodicPass('dead-letter sweep', () => this.pass(), this.logger);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLettersService,
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

  private async pass(): Promise<DeadLetterSweepFigures> {
    const figures: DeadLetterSweepFigures = { deadLettered: 0, alertsQueued: 0 };
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
    if (figures.deadLettered + figures.alertsQueued > 0)
      this.logger.warn(figures, 'dead-letter sweep recovered work an event or Redis had lost');
    return figures;
  }
}

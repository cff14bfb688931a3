import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditChainer } from '../audit-chainer';

/**
 * How often the worker chains what was journaled (by any process, or by one that crashed). Entries are durable
 * already and readers chain first, so this only keeps the chain close behind; one probe when there is nothing.
 */
const CHAIN_INTERVAL_MS = 250;

/** The worker's side of the audit log: the periodic chaining pass (the API process never runs it). */
@Injectable()
export class AuditChainingJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditChainingJob.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly chainer: AuditChainer) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.pass(), CHAIN_INTERVAL_MS);
    this.timer.unref();
    void this.pass();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.chainer.chainPending().catch(() => undefined);
  }

  private async pass(): Promise<void> {
    try {
      await this.chainer.chainInBackground();
    } catch (error) {
      this.logger.warn({ err: error }, 'audit entries not chained yet');
    }
  }
}

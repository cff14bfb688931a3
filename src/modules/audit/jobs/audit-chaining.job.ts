import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicPass } from '../../../common/periodic-pass';
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
  private readonly periodic = new PeriodicPass(
    'audit chaining',
    () => this.chainer.chainInBackground(),
    this.logger,
  );

  constructor(private readonly chainer: AuditChainer) {}

  onApplicationBootstrap(): void {
    this.periodic.start(CHAIN_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.periodic.stop();
    await this.chainer.chainPending().catch(() => undefined);
  }
}

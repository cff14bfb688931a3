import { Injectable } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service';
import { InstancePools } from './instance-pools';

/** Salesforce latency per instance and the sockets of each instance pool. */
@Injectable()
export class SalesforceMetrics {
  readonly requestDuration: Histogram<'instance' | 'method' | 'outcome'>;

  constructor(metrics: MetricsService, pools: InstancePools) {
    this.requestDuration = new Histogram({
      name: 'aicall_salesforce_request_duration_seconds',
      help: 'Salesforce call latency per instance, method and outcome (ok or the error class)',
      labelNames: ['instance', 'method', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'aicall_salesforce_pool_sockets',
      help: 'Sockets of each Salesforce host pool, by state (in_use, idle) and queued requests (pending)',
      labelNames: ['host', 'state'] as const,
      registers: [metrics.registry],
      collect() {
        for (const pool of pools.sockets()) {
          this.set({ host: pool.host, state: 'in_use' }, pool.inUse);
          this.set({ host: pool.host, state: 'idle' }, pool.idle);
          this.set({ host: pool.host, state: 'pending' }, pool.pending);
        }
      },
    });
  }
}

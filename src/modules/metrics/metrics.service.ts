import { getQueueToken } from '@nestjs/bull';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ALL_QUEUES } from '../queue/queue-names';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const QUEUE_COUNT_TIMEOUT_MS = 1000;

/** The service's Prometheus registry; other modules add their own metrics to it. */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    // Fine buckets at the low end: the mid-call path is judged in milliseconds.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Per endpoint, our own time (total minus the Salesforce wait) and the Salesforce wait (Server-Timing). */
  readonly httpOwnDuration = new Histogram({
    name: 'aicall_http_own_duration_seconds',
    help: 'Time the service itself spent on a request (total minus time waiting for Salesforce), by route',
    labelNames: ['method', 'route'] as const,
    // The budget is p99 <= 10 ms of own time on the mid-call path (product.md): resolution around it.
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly httpSalesforceDuration = new Histogram({
    name: 'aicall_http_salesforce_duration_seconds',
    help: 'Time a request spent waiting for Salesforce (Server-Timing sf), by route; only routes that call it',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private queues: Queue[] = [];

  constructor(private readonly moduleRef: ModuleRef) {
    collectDefaultMetrics({ register: this.registry });
    const queues = () => this.queues;
    new Gauge({
      name: 'aicall_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        for (const queue of queues()) {
          const counts = await Promise.race([
            queue.getJobCounts(),
            new Promise<undefined>((resolve) =>
              setTimeout(() => resolve(undefined), QUEUE_COUNT_TIMEOUT_MS).unref(),
            ),
          ]);
          if (!counts) continue;
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state]);
        }
      },
    });
  }

  onModuleInit(): void {
    this.queues = ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
  }
}

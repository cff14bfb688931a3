import { Global, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { salesforceSeconds } from './http-timing';
import { WriteMetricsListener } from './listeners/write-metrics.listener';
import { MetricsController } from './metrics.controller';
import { WorkerMetricsServer } from './worker-metrics-server';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics at /metrics (the worker serves its own on WORKER_METRICS_PORT), HTTP latency, own time
 * and Salesforce time per route fed by a Fastify hook, and the write path's counters fed by its events.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, WriteMetricsListener, WorkerMetricsServer],
  exports: [MetricsService],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    // The worker process has no HTTP server.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const seconds = reply.elapsedTime / 1000;
      this.metrics.httpRequestDuration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        seconds,
      );
      const salesforce = salesforceSeconds(reply.getHeader('server-timing'));
      this.metrics.httpOwnDuration.observe(
        { method: request.method, route },
        Math.max(0, seconds - salesforce),
      );
      if (reply.hasHeader('server-timing')) {
        this.metrics.httpSalesforceDuration.observe({ method: request.method, route }, salesforce);
      }
      done();
    });
  }
}

import underPressure, { TYPE_EVENT_LOOP_DELAY } from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { LimitsConfig } from '../../config/limits.config';
import { sendErrorEnvelope } from '../errors/send-error';

/** Probes an orchestrator and Prometheus keep reaching while the service sheds: a busy process is alive. */
const NEVER_SHED = ['/health/', '/metrics'];

/**
 * Load shedding (@fastify/under-pressure): when the event loop is late or saturated (sampled every
 * LOAD_SHED_SAMPLE_INTERVAL_MS), new requests are answered 503 SERVICE_OVERLOADED with Retry-After at once,
 * instead of queueing behind the backlog until every call in progress misses its deadline. The thresholds
 * sit well under an in-call write's deadline (CRITICAL_WRITE_DEADLINE_MS): a 200 ms mean delay already means
 * every request of that second waits that long at each step.
 */
export async function registerLoadShedding(fastify: FastifyInstance, limits: LimitsConfig): Promise<void> {
  if (limits.shedMaxEventLoopDelayMs === 0 && limits.shedMaxEventLoopUtilization === 0) return;
  await fastify.register(underPressure, {
    maxEventLoopDelay: limits.shedMaxEventLoopDelayMs,
    maxEventLoopUtilization: limits.shedMaxEventLoopUtilization,
    eventLoopUtilizationMode: 'interval',
    sampleInterval: limits.shedSampleIntervalMs,
    retryAfter: limits.shedRetryAfterSeconds,
    pressureHandler: (request, reply, type, value) => {
      if (NEVER_SHED.some((prefix) => request.url.startsWith(prefix))) return;
      const measured =
        type === TYPE_EVENT_LOOP_DELAY
          ? `event-loop delay ${Math.round(Number(value))} ms`
          : `${type} ${value}`;
      void reply.header('Retry-After', limits.shedRetryAfterSeconds);
      // Answered here; under-pressure then calls the next hook, and Fastify stops at a sent reply.
      sendErrorEnvelope(request, reply, {
        statusCode: 503,
        code: 'SERVICE_OVERLOADED',
        message: `The service is past its capacity (${measured}); retry after ${limits.shedRetryAfterSeconds} s`,
      });
    },
  });
}

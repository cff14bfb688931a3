import underPressure, { TYPE_EVENT_LOOP_DELAY } from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LimitsConfig } from '../../config/limits.config';
import { CommonErrorCode } from '../errors/common-error-code';
import { sendErrorEnvelope } from '../errors/send-error';

/** Probes an orchestrator and Prometheus keep reaching while the service sheds: a busy process is alive. */
const NEVER_SHED = ['/health/', '/metrics'];
const isNeverShed = (request: FastifyRequest) => NEVER_SHED.some((prefix) => request.url.startsWith(prefix));

/**
 * Load shedding: past capacity, new requests are answered 503 SERVICE_OVERLOADED with Retry-After at once,
 * instead of queueing behind the backlog until every call in progress misses its deadline. Two signals:
 * - the event loop (@fastify/under-pressure, sampled every LOAD_SHED_SAMPLE_INTERVAL_MS): a mean delay of
 *   200 ms means every request of that sample waits that long at each step, CPU-bound overload;
 * - requests in flight in this process (LOAD_SHED_MAX_IN_FLIGHT): with I/O-bound overload the loop stays
 *   punctual while requests pile up waiting for Postgres or Salesforce connections; past the bound a new one
 *   is refused rather than queued behind them.
 */
export async function registerLoadShedding(fastify: FastifyInstance, limits: LimitsConfig): Promise<void> {
  const shed = (request: FastifyRequest, reply: FastifyReply, measured: string) => {
    void reply.header('Retry-After', limits.shedRetryAfterSeconds);
    sendErrorEnvelope(request, reply, {
      code: CommonErrorCode.ServiceOverloaded,
      message: `The service is past its capacity (${measured}); retry after ${limits.shedRetryAfterSeconds} s`,
    });
  };
  if (limits.shedMaxInFlight > 0) boundRequestsInFlight(fastify, limits.shedMaxInFlight, shed);
  if (limits.shedMaxEventLoopDelayMs === 0 && limits.shedMaxEventLoopUtilization === 0) return;
  await fastify.register(underPressure, {
    maxEventLoopDelay: limits.shedMaxEventLoopDelayMs,
    maxEventLoopUtilization: limits.shedMaxEventLoopUtilization,
    eventLoopUtilizationMode: 'interval',
    sampleInterval: limits.shedSampleIntervalMs,
    retryAfter: limits.shedRetryAfterSeconds,
    pressureHandler: (request, reply, type, value) => {
      if (isNeverShed(request)) return;
      // Answered here; under-pressure then calls the next hook, and Fastify stops at a sent reply.
      shed(
        request,
        reply,
        type === TYPE_EVENT_LOOP_DELAY
          ? `event-loop delay ${Math.round(Number(value))} ms`
          : `${type} ${value}`,
      );
    },
  });
}

function boundRequestsInFlight(
  fastify: FastifyInstance,
  maxInFlight: number,
  shed: (request: FastifyRequest, reply: FastifyReply, measured: string) => void,
): void {
  let inFlight = 0;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (isNeverShed(request)) return done();
    if (inFlight >= maxInFlight) return shed(request, reply, `${inFlight} requests in flight`);
    inFlight++;
    // 'close' fires once per response, finished or aborted by the client, so the count cannot leak.
    reply.raw.once('close', () => inFlight--);
    done();
  });
}

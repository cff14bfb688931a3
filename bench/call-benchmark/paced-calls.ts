import { setTimeout as sleep } from 'node:timers/promises';
import {
  INTENT_VALUES,
  salesforceMs,
  simulatedCall,
  type Endpoint,
  type RequestSample,
  type SimulatedCall,
} from './call-load';
import { CRITICAL_INTENTS, type CriticalIntent } from './provision';

/**
 * Paced calls: `concurrency` calls in progress at once, as on a real phone line — between two requests the
 * agent talks for a random think time (0.5–1.5 × `thinkMs`), and the calls start staggered. So the API sees
 * about concurrency ÷ thinkMs requests per second, spread out, and our own time is not CPU queueing.
 * Client-side latency is measured around `fetch` (undici, keep-alive): about a millisecond more than raw sockets.
 */
export interface PacedOptions {
  apiUrl: string;
  agentKey: string;
  calls: number;
  concurrency: number;
  thinkMs: number;
  knownCallerShare: number;
  callIdPrefix: string;
  /** Start no new call after this long (calls under way finish); `calls` still caps the count. */
  durationMs?: number;
}

export interface PacedResult {
  samples: RequestSample[];
  calls: number;
  durationSeconds: number;
}

export async function runPacedCalls(options: PacedOptions): Promise<PacedResult> {
  const samples: RequestSample[] = [];
  const think = () => sleep(options.thinkMs * (0.5 + Math.random()));
  const timed = async (endpoint: Endpoint, path: string, body?: unknown) => {
    const started = performance.now();
    const response = await fetch(`${options.apiUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${options.agentKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
    const totalMs = performance.now() - started;
    const sfMs = salesforceMs(response.headers.get('server-timing') ?? undefined);
    samples.push({ endpoint, status: response.status, totalMs, sfMs, endedAt: performance.now() });
  };
  const playCall = async (call: SimulatedCall) => {
    await timed('lookup', `/v1/lookup?phone=${encodeURIComponent(call.caller.phone)}`);
    for (const intent of Object.keys(CRITICAL_INTENTS) as CriticalIntent[]) {
      await think();
      const body = { intent, value: INTENT_VALUES[intent], caller: call.caller };
      await timed('intent', `/v1/calls/${call.callId}/intents`, body);
    }
    await think();
    const summary = { summary: 'Demo booked; budget confirmed', durationSeconds: 95, direction: 'inbound' };
    await timed('complete', `/v1/calls/${call.callId}/complete`, summary);
  };

  let next = 0;
  const started = performance.now();
  const stopAt = started + (options.durationMs ?? Infinity);
  const line = async () => {
    await sleep(Math.random() * options.thinkMs); // staggered starts
    while (next < options.calls && performance.now() < stopAt) {
      await playCall(simulatedCall(options.callIdPrefix, next++, options.knownCallerShare));
      await think();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.calls) }, line));
  return { samples, calls: next, durationSeconds: (performance.now() - started) / 1000 };
}

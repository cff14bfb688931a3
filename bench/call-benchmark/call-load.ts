import autocannon from 'autocannon';
import type { CriticalIntent } from './provision';

/**
 * Simulated calls driven by autocannon: each connection is one agent on one call at a time, playing
 * lookup → two critical intents → completion, then the next call. Every response is recorded with its
 * client-side latency and the Salesforce time the API reports in `Server-Timing: sf;dur=<ms>`.
 */

export type Endpoint = 'lookup' | 'intent' | 'complete';

export interface RequestSample {
  endpoint: Endpoint;
  status: number;
  /** Client-side latency: request written → response complete (autocannon's own measure). */
  totalMs: number;
  /** Salesforce time reported by the API; undefined when the response carried no `sf` entry. */
  sfMs: number | undefined;
  /** When the answer arrived (`performance.now()`), where a run reports over time (the soak). */
  endedAt?: number;
}

export interface CallLoadOptions {
  apiUrl: string;
  agentKey: string;
  calls: number;
  connections: number;
  /** Share of calls from a phone the org knows (the rest are unknown callers), 0..1. */
  knownCallerShare: number;
  /** Makes call ids unique across phases and runs. */
  callIdPrefix: string;
}

export interface CallLoadResult {
  samples: RequestSample[];
  calls: number;
  durationSeconds: number;
  errors: number;
  timeouts: number;
  lookupSources: Record<string, number>;
  /** `status` field of the intents' answers (written / queued / …). */
  intentOutcomes: Record<string, number>;
  /** writeIds of the intents answered 202 and of every completion, to check afterwards that they landed. */
  queuedWriteIds: string[];
  completionWriteIds: string[];
}

/** Seeded phones of the demo org in the formats agents send (E.164 and national). */
const KNOWN_PHONES = [
  '+14155551212',
  '(415) 555-1212',
  '+1 415 555 1313',
  '415.555.1414',
  '+14155551515',
  '+44 20 7946 0018',
];

export const INTENT_VALUES: Record<CriticalIntent, number | undefined> = {
  demo_requested: undefined,
  budget_confirmed: 25_000,
};

export interface SimulatedCall {
  callId: string;
  caller: { phone: string; firstName: string; lastName: string; company: string; email: string };
}

interface CallContext {
  call?: SimulatedCall;
}

export function simulatedCall(prefix: string, index: number, knownShare: number): SimulatedCall {
  // Deterministic mix: in every 100 calls, the first knownShare·100 come from seeded phones.
  const known = index % 100 < Math.round(knownShare * 100);
  // 628-2xx-xxxx: valid San Francisco numbers no seeded record carries.
  const phone = known
    ? KNOWN_PHONES[index % KNOWN_PHONES.length]
    : `+1628${String(2_000_000 + (index % 8_000_000)).padStart(7, '0')}`;
  // A person of the call's own (the prefix names the run and the phase). With the index alone, the callers of
  // the load and paced phases were the warm-up's and the load's again: the org's duplicate rules (same e-mail;
  // same name and phone) matched them, and their intents paid for adopting the match, a different workload.
  const person = `${prefix}-${index}`;
  return {
    callId: person,
    caller: {
      phone,
      firstName: 'Bench',
      lastName: `Caller ${person}`,
      company: `Bench Caller ${person} Inc`,
      email: `caller-${person}@bench.example`,
    },
  };
}

/** Sum of the `sf` entries of a Server-Timing header (`sf;dur=12.3, db;dur=0.4`). */
export function salesforceMs(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  let total: number | undefined;
  for (const entry of text.split(',')) {
    const [name, ...params] = entry.trim().split(';');
    if (name.trim() !== 'sf') continue;
    const duration = params.map((p) => /^\s*dur=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    if (duration !== undefined) total = (total ?? 0) + Number(duration);
  }
  return total;
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | string[] | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' || Array.isArray(value) ? (value as string | string[]) : undefined;
}

function jsonField(body: string, field: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const value =
      typeof parsed === 'object' && parsed ? (parsed as Record<string, unknown>)[field] : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

const increment = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

/** Runs `options.calls` simulated calls (rounded up to whole calls per connection). */
export async function runCalls(options: CallLoadOptions): Promise<CallLoadResult> {
  const connections = Math.min(options.connections, options.calls);
  const callsPerConnection = Math.ceil(options.calls / connections);
  const calls = callsPerConnection * connections;
  const result: CallLoadResult = {
    samples: [],
    calls,
    durationSeconds: 0,
    errors: 0,
    timeouts: 0,
    lookupSources: {},
    intentOutcomes: {},
    queuedWriteIds: [],
    completionWriteIds: [],
  };
  let nextCallIndex = 0;
  // autocannon calls onResponse and then, synchronously, emits 'response' with the latency: the first
  // stores what it read from the response here, the second completes the sample.
  let pending: Omit<RequestSample, 'totalMs'> | undefined;

  const record =
    (endpoint: Endpoint, readBody?: (status: number, body: string) => void) =>
    (status: number, body: string, _context: object, headers?: Record<string, unknown>) => {
      pending = { endpoint, status, sfMs: salesforceMs(headerOf(headers, 'server-timing')) };
      readBody?.(status, body);
    };
  const callOf = (context: object): SimulatedCall => {
    const call = (context as CallContext).call;
    if (!call) throw new Error('request before the call was set up');
    return call;
  };
  // setupRequest's answer replaces the request, headers included: keep the default ones (authorization).
  const jsonPost = (
    request: autocannon.Request,
    path: string,
    body: unknown,
    idempotencyKey: string,
  ): autocannon.Request => ({
    ...request,
    method: 'POST',
    path,
    headers: { ...request.headers, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  });
  const intentRequest = (intent: CriticalIntent): autocannon.Request => ({
    setupRequest: (request, context) => {
      const call = callOf(context);
      const body = { intent, value: INTENT_VALUES[intent], caller: call.caller };
      return jsonPost(request, `/v1/calls/${call.callId}/intents`, body, `${call.callId}:${intent}`);
    },
    onResponse: record('intent', (status, body) => {
      increment(result.intentOutcomes, `${status} ${jsonField(body, 'status') ?? jsonField(body, 'code')}`);
      const writeId = jsonField(body, 'writeId');
      if (status === 202 && writeId) result.queuedWriteIds.push(writeId);
    }),
  });

  const requests: autocannon.Request[] = [
    {
      setupRequest: (request, context) => {
        const call = simulatedCall(options.callIdPrefix, nextCallIndex++, options.knownCallerShare);
        (context as CallContext).call = call;
        return {
          ...request,
          method: 'GET',
          path: `/v1/lookup?phone=${encodeURIComponent(call.caller.phone)}`,
        };
      },
      onResponse: record('lookup', (status, body) =>
        increment(result.lookupSources, `${status} ${jsonField(body, 'source') ?? jsonField(body, 'code')}`),
      ),
    },
    intentRequest('demo_requested'),
    intentRequest('budget_confirmed'),
    {
      setupRequest: (request, context) => {
        const call = callOf(context);
        const body = { summary: 'Demo booked; budget confirmed', durationSeconds: 95, direction: 'inbound' };
        return jsonPost(request, `/v1/calls/${call.callId}/complete`, body, `${call.callId}:complete`);
      },
      onResponse: record('complete', (_status, body) => {
        const writeId = jsonField(body, 'writeId');
        if (writeId) result.completionWriteIds.push(writeId);
      }),
    },
  ];

  const started = performance.now();
  const summary = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.apiUrl,
        connections,
        amount: calls * requests.length,
        headers: { authorization: `Bearer ${options.agentKey}` },
        requests,
        timeout: 30,
      },
      (error: Error | null, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (pending) result.samples.push({ ...pending, totalMs: responseTime });
      pending = undefined;
    });
  });
  result.durationSeconds = (performance.now() - started) / 1000;
  result.errors = summary.errors;
  result.timeouts = summary.timeouts;
  return result;
}

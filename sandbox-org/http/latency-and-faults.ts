import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {
  Fault,
  HostState,
  LoggedRuleHeaders,
  LoggedSubrequest,
  RequestLogEntry,
} from '../state/host-state';
import type { SandboxState } from '../state/sandbox-state';
import { limitInfo } from '../data-api/limits';
import { sendJson } from './reply';

export const CONTROL_PREFIX = '/__sandbox';
const ELAPSED_HEADER = 'x-sandbox-elapsed-ms';

/** Salesforce-shaped defaults for an injected failure (§6.3, §13 item 11). */
const DEFAULT_FAULTS: Record<number, { errorCode: string; message: string }> = {
  400: {
    errorCode: 'UNABLE_TO_LOCK_ROW',
    message: 'unable to obtain exclusive access to this record or 1 records: ',
  },
  401: { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
  403: { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
  404: { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
  500: {
    errorCode: 'UNKNOWN_EXCEPTION',
    message:
      'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
  },
  503: {
    errorCode: 'SERVER_UNAVAILABLE',
    message: 'Server temporarily unavailable. Please try again later.',
  },
};
const DEFAULT_OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_grant',
  401: 'invalid_client',
  403: 'rate_limit_exceeded',
};

/** The assignment and duplicate-rule headers present, by a case-insensitive header lookup. */
function ruleHeaders(header: (lowerCaseName: string) => string | undefined): LoggedRuleHeaders {
  const autoAssign = header('sforce-auto-assign');
  const duplicateRule = header('sforce-duplicate-rule-header');
  return {
    ...(autoAssign !== undefined && { sforceAutoAssign: autoAssign }),
    ...(duplicateRule !== undefined && { sforceDuplicateRuleHeader: duplicateRule }),
  };
}

/** The subrequests of a `/composite` or `/composite/graph` body, so tests can see each one's headers. */
function loggedSubrequests(body: unknown): LoggedSubrequest[] {
  const envelope = (body ?? {}) as { compositeRequest?: unknown; graphs?: { compositeRequest?: unknown }[] };
  const lists = Array.isArray(envelope.graphs)
    ? envelope.graphs.map((graph) => graph?.compositeRequest)
    : [envelope.compositeRequest];
  return lists
    .flatMap((list) => (Array.isArray(list) ? (list as Record<string, unknown>[]) : []))
    .map((sub) => {
      const headers = Object.fromEntries(
        Object.entries((sub?.httpHeaders ?? {}) as Record<string, unknown>).map(([name, value]) => [
          name.toLowerCase(),
          String(value),
        ]),
      );
      return {
        method: String(sub?.method),
        url: String(sub?.url),
        ...ruleHeaders((name) => headers[name]),
      };
    });
}

interface Timing {
  startedAt: bigint;
  connectionId: number;
  /** A fault that lets the request be served and then delays or drops its answer. */
  afterServing?: Fault;
}

/** Status recorded in the request log for a request served but whose answer was cut (no HTTP status left). */
export const DROPPED_RESPONSE_STATUS = 0;

/** Answers a request with the fault: the OAuth object on `/services/oauth2/*`, the REST array elsewhere. */
function sendFault(
  state: SandboxState,
  host: HostState,
  fault: Fault & { status: number },
  path: string,
  reply: FastifyReply,
) {
  const defaults = DEFAULT_FAULTS[fault.status] ?? DEFAULT_FAULTS[fault.status >= 500 ? 500 : 400];
  const message = fault.message ?? defaults.message;
  if (path.startsWith('/services/oauth2/')) {
    const error = fault.errorCode ?? DEFAULT_OAUTH_ERRORS[fault.status] ?? 'server_error';
    return sendJson(reply, fault.status, { error, error_description: fault.message ?? 'injected failure' });
  }
  if (fault.html) {
    // Salesforce Edge / maintenance pages are HTML, not JSON (§6.1)
    return reply
      .code(fault.status)
      .header('content-type', 'text/html;charset=UTF-8')
      .send(`<html><body>${message}</body></html>`);
  }
  const headers: Record<string, string> = fault.status === 401 ? { 'www-authenticate': 'Token' } : {};
  const org = state.orgsOn(host.name)[0];
  if (path.startsWith('/services/data/v') && org && fault.status !== 401)
    headers['sforce-limit-info'] = limitInfo(org);
  return sendJson(
    reply,
    fault.status,
    [{ message, errorCode: fault.errorCode ?? defaults.errorCode }],
    headers,
  );
}

/**
 * Per-request plumbing of one port: added latency and injected faults (control API), the
 * `X-Sandbox-Elapsed-Ms` header (handling time including injected latency), and the request log with a
 * per-TCP-connection id so keep-alive reuse is visible. A fault with a status answers instead of serving; a
 * fault with `responseDelayMs` or `dropResponse` serves the request first (so its writes commit), then holds or
 * cuts the answer: what a client sees when Salesforce committed but the response was slow or lost.
 */
export function installLatencyAndFaults(app: FastifyInstance, state: SandboxState, host: HostState) {
  const timings = new WeakMap<FastifyRequest, Timing>();
  const connectionIds = new WeakMap<Socket, number>();
  let connections = 0;

  app.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket;
    let connectionId = connectionIds.get(socket);
    if (connectionId === undefined) connectionIds.set(socket, (connectionId = ++connections));
    const timing: Timing = { startedAt: process.hrtime.bigint(), connectionId };
    timings.set(request, timing);

    const path = request.url.split('?')[0];
    if (path.startsWith(CONTROL_PREFIX)) return;
    const fault = host.takeFault(request.method, path);
    const delay = host.latencyMs + (fault?.delayMs ?? 0);
    if (delay > 0) await sleep(delay);
    if (fault?.status !== undefined)
      await sendFault(state, host, { ...fault, status: fault.status }, path, reply);
    else if (fault?.responseDelayMs || fault?.dropResponse) timing.afterServing = fault;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const timing = timings.get(request);
    const afterServing = timing?.afterServing;
    if (afterServing?.responseDelayMs) await sleep(afterServing.responseDelayMs);
    if (afterServing?.dropResponse) {
      // The handler has run (and committed): the client only loses the answer.
      host.record(logEntry(request, DROPPED_RESPONSE_STATUS, timing!));
      request.raw.socket.destroy();
      return payload;
    }
    if (timing) {
      const elapsedMs = Number(process.hrtime.bigint() - timing.startedAt) / 1e6;
      void reply.header(ELAPSED_HEADER, elapsedMs.toFixed(3));
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const timing = timings.get(request);
    const path = request.url.split('?')[0];
    if (!timing || timing.afterServing?.dropResponse || path.startsWith(CONTROL_PREFIX)) return;
    host.record(logEntry(request, reply.statusCode, timing));
  });
}

function logEntry(request: FastifyRequest, status: number, timing: Timing): RequestLogEntry {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const subrequests = loggedSubrequests(request.body);
  const path = request.url.split('?')[0];
  return {
    at: new Date().toISOString(),
    method: request.method,
    path,
    status,
    ms: Math.round((Number(process.hrtime.bigint() - timing.startedAt) / 1e6) * 1000) / 1000,
    connectionId: timing.connectionId,
    ...ruleHeaders(header),
    ...(header('sforce-call-options') !== undefined && {
      sforceCallOptions: header('sforce-call-options'),
    }),
    ...(subrequests.length > 0 && { subrequests }),
    // Data API bodies only: an OAuth request's form carries secrets.
    ...(path.startsWith('/services/data/') && request.body != null && { body: request.body }),
  };
}

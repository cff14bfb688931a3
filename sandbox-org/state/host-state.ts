/** One fault rule from `POST /__sandbox/faults`. */
export interface Fault {
  method?: string;
  path?: string;
  status?: number;
  errorCode?: string;
  message?: string;
  /** Matching requests still to affect. */
  remaining: number;
  delayMs?: number;
  /** Answer with an HTML page instead of the JSON error array (maintenance / Edge errors). */
  html?: boolean;
  /** Serve the request (its DML commits), then hold the answer this long before sending it. */
  responseDelayMs?: number;
  /** Serve the request (its DML commits), then cut the connection instead of answering: a lost response. */
  dropResponse?: boolean;
}

/** The rule headers a request (or a composite subrequest) carried, as the request log shows them. */
export interface LoggedRuleHeaders {
  sforceAutoAssign?: string;
  sforceDuplicateRuleHeader?: string;
}

export interface LoggedSubrequest extends LoggedRuleHeaders {
  method: string;
  url: string;
}

export interface RequestLogEntry extends LoggedRuleHeaders {
  at: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  connectionId: number;
  sforceCallOptions?: string;
  /** `/composite` and `/composite/graph`: each subrequest with its own `httpHeaders`. */
  subrequests?: LoggedSubrequest[];
  /** The JSON body as received, when the request had one: what a client actually asked the org to write. */
  body?: unknown;
}

const REQUEST_LOG_LIMIT = 10_000;

/** Per-port state (login host or one instance): added latency, pending faults, the request log. */
export class HostState {
  latencyMs: number;
  faults: Fault[] = [];
  readonly log: RequestLogEntry[] = [];
  readonly countsByPath = new Map<string, number>();
  url = '';
  port = 0;

  constructor(
    readonly name: string,
    readonly region: string,
    private readonly initialLatencyMs: number,
  ) {
    this.latencyMs = initialLatencyMs;
  }

  /** The first pending fault matching the request (consuming one of its `times`). */
  takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) => (!f.method || f.method.toUpperCase() === method) && (!f.path || path.includes(f.path)),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  record(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
    this.countsByPath.set(entry.path, (this.countsByPath.get(entry.path) ?? 0) + 1);
  }

  reset(): void {
    this.latencyMs = this.initialLatencyMs;
    this.faults = [];
    this.log.length = 0;
    this.countsByPath.clear();
  }
}

import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DescribeSObjectResult, Record as SalesforceRecord, SearchResult } from '@jsforce/jsforce-node';
import type { QueryResult } from '@jsforce/jsforce-node/lib/query';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import { SalesforceSessions } from '../tokens/salesforce-sessions';
import { ApiUsage, ApiUsageTracker } from './api-usage-tracker';
import { type WrittenIds, writtenIdsOf } from './composite-outcome';
import { SalesforceError } from './salesforce-error';
import { SalesforceHttp, SalesforceRequest, SalesforceSession } from './salesforce-http';

/** One subrequest of `/composite` (salesforce-rest.md §5.1). */
export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

export interface CompositeRequestBody {
  allOrNone: boolean;
  compositeRequest: CompositeSubrequest[];
}

/** The envelope answers 200 even when subrequests fail: read every `httpStatusCode` (stack-notes §2). */
export interface CompositeResponse {
  compositeResponse: Array<{
    body: unknown;
    httpHeaders: Record<string, string>;
    httpStatusCode: number;
    referenceId: string;
  }>;
}

export interface CallOptions {
  /** Overall budget of the call, refresh and retry included (default SALESFORCE_CALL_DEADLINE_MS). */
  deadlineMs?: number;
}

export type { DescribeSObjectResult, QueryResult, SalesforceRecord, SearchResult };

/**
 * The only way the connector talks to Salesforce's data API, per tenant: the tenant's session on the pool of
 * its instance, a deadline on every call, and on 401 one refresh then one retry. Failures are SalesforceErrors
 * (transient, auth, rate-limited, permanent) with Salesforce's errorCode and message.
 */
@Injectable()
export class SalesforceClient {
  private readonly callDeadlineMs: number;

  constructor(
    private readonly sessions: SalesforceSessions,
    private readonly http: SalesforceHttp,
    private readonly apiUsageTracker: ApiUsageTracker,
    config: ConfigService,
  ) {
    this.callDeadlineMs = config.getOrThrow<SalesforceConfig>('salesforce').callDeadlineMs;
  }

  describeSObject(
    tenantId: string,
    objectName: string,
    options?: CallOptions,
  ): Promise<DescribeSObjectResult> {
    return this.request(
      tenantId,
      { method: 'GET', path: `/sobjects/${encodeURIComponent(objectName)}/describe` },
      options,
    );
  }

  query<T extends SalesforceRecord = SalesforceRecord>(
    tenantId: string,
    soql: string,
    options?: CallOptions,
  ): Promise<QueryResult<T>> {
    return this.request(tenantId, { method: 'GET', path: `/query?q=${encodeURIComponent(soql)}` }, options);
  }

  search(tenantId: string, sosl: string, options?: CallOptions): Promise<SearchResult> {
    return this.request(tenantId, { method: 'GET', path: `/search?q=${encodeURIComponent(sosl)}` }, options);
  }

  /** A composite whose subrequests are read one by one (the lookup's queries): failed subrequests included. */
  composite(tenantId: string, body: CompositeRequestBody, options?: CallOptions): Promise<CompositeResponse> {
    return this.request(tenantId, { method: 'POST', path: '/composite', body }, options);
  }

  /**
   * A write composite (allOrNone): the id of each record written by referenceId, or a SalesforceError naming the
   * subrequest that caused the failure.
   */
  async compositeWrite(
    tenantId: string,
    body: CompositeRequestBody,
    options?: CallOptions,
  ): Promise<WrittenIds> {
    return writtenIdsOf(await this.composite(tenantId, body, options), body);
  }

  /** Any REST resource: `path` under `/services/data/v<pinned>` (e.g. `/sobjects/Lead`), or a full `/services/...`. */
  async request<T>(tenantId: string, request: SalesforceRequest, options: CallOptions = {}): Promise<T> {
    const deadline = new Deadline(options.deadlineMs ?? this.callDeadlineMs);
    try {
      return await this.requestWithin<T>(tenantId, request, deadline.signal);
    } finally {
      deadline.clear();
    }
  }

  private async requestWithin<T>(
    tenantId: string,
    request: SalesforceRequest,
    signal: AbortSignal,
  ): Promise<T> {
    const session = await this.sessions.current(tenantId);
    try {
      return await this.http.send<T>(session, request, signal);
    } catch (error) {
      if (!isExpiredSession(error)) throw await this.settle(tenantId, error);
      const renewed = await abortable(this.sessions.refresh(tenantId, session.tokenVersion), signal);
      try {
        return await this.http.send<T>(renewed, request, signal);
      } catch (retryError) {
        // A 401 again right after a fresh token is not retried: the refresh budget bounds how often this repeats.
        throw await this.settle(tenantId, retryError);
      }
    }
  }

  /** The latest `Sforce-Limit-Info` usage of the tenant's org, if any call has seen it. */
  apiUsage(tenantId: string): ApiUsage | undefined {
    return this.apiUsageTracker.get(tenantId);
  }

  /** Tests and the connect flow: the session a call would use (never exposes the token). */
  currentSession(
    tenantId: string,
  ): Promise<Pick<SalesforceSession, 'instance' | 'instanceUrl' | 'tokenVersion'>> {
    return this.sessions.current(tenantId);
  }

  private async settle(tenantId: string, error: unknown): Promise<unknown> {
    if (error instanceof SalesforceError && error.requiresReauthorization) {
      return this.sessions.markNeedsReauthorization(tenantId, error);
    }
    return error;
  }
}

function isExpiredSession(error: unknown): error is SalesforceError {
  return (
    error instanceof SalesforceError &&
    error.errorClass === 'auth' &&
    error.salesforceStatus === 401 &&
    !error.requiresReauthorization
  );
}

/**
 * A call's deadline, cleared once the call settles. `AbortSignal.timeout` would keep its timer to the end and
 * then build a TimeoutError (stack trace included) for a call long answered: on every Salesforce request.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.timer = setTimeout(
      () => this.controller.abort(new DOMException('Salesforce did not answer in time', 'TimeoutError')),
      ms,
    ).unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/** Waits for a shared promise (a refresh other callers also wait on) no longer than this call's deadline. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted)
    return Promise.reject(
      new SalesforceError({ errorCode: 'DEADLINE_EXCEEDED', message: 'Salesforce did not answer in time' }),
    );
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new SalesforceError({ errorCode: 'DEADLINE_EXCEEDED', message: 'Salesforce did not answer in time' }),
      );
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

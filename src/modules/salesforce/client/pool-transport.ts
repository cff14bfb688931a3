import { PassThrough } from 'node:stream';
import { Transport } from '@jsforce/jsforce-node/lib/transport';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from '@jsforce/jsforce-node/lib/types';
import { StreamPromise } from '@jsforce/jsforce-node/lib/util/promise';
import type { Dispatcher } from 'undici';

/** Per-call extras that ride along jsforce's request options down to the transport. */
export interface PoolRequestOptions extends HttpRequestOptions {
  signal?: AbortSignal;
  onResponse?: (response: HttpResponse) => void;
}

/**
 * jsforce's transport replaced by an undici keep-alive pool of one Salesforce host (stack-notes §2). It bypasses
 * jsforce's hidden retries and 30-minute timeout: each call is sent once, bounded by its AbortSignal.
 */
export class PoolTransport extends Transport {
  constructor(
    private readonly pool: Dispatcher,
    private readonly bound: PoolRequestOptions = {},
  ) {
    super();
  }

  override httpRequest(request: HttpRequest, options: PoolRequestOptions = {}): StreamPromise<HttpResponse> {
    const signal = options.signal ?? this.bound.signal;
    const onResponse = options.onResponse ?? this.bound.onResponse;
    return StreamPromise.create(() => {
      const stream = new PassThrough();
      const promise = this.send(request, signal).then((response) => {
        onResponse?.(response);
        return response;
      });
      promise.then(
        () => stream.end(),
        () => stream.end(),
      );
      return { stream, promise };
    });
  }

  private async send(request: HttpRequest, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const url = new URL(request.url);
    const response = await this.pool.request({
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: request.headers,
      body: typeof request.body === 'string' || Buffer.isBuffer(request.body) ? request.body : undefined,
      signal,
    });
    const body = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { statusCode: response.statusCode, headers, body };
  }
}

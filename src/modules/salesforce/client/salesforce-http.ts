import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Connection } from '@jsforce/jsforce-node';
import type { HttpMethods } from '@jsforce/jsforce-node/lib/types';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import { ApiUsageTracker } from './api-usage-tracker';
import { InstancePools } from './instance-pools';
import type { PoolRequestOptions } from './pool-transport';
import { toSalesforceError } from './salesforce-error';
import { SalesforceMetrics } from './salesforce-metrics';

/** Traceability in the org's event logs (salesforce-rest.md §9). */
const CALL_OPTIONS = { client: 'aicall-connector' };

/** A live access token of one tenant, with the jsforce connection that uses it. */
export interface SalesforceSession {
  tenantId: string;
  /** The instance name (NA130) once known; the host before. */
  instance: string;
  instanceUrl: string;
  tokenVersion: number;
  connection: Connection;
}

export interface SalesforceRequest {
  method: HttpMethods;
  /** `/sobjects/...` (under the pinned version), or `/services/...` as is. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Sends one request with one session: jsforce (version pinned, no refresh delegate, so no hidden refresh or
 * retry) over the instance pool, bounded by the caller's signal; records latency and API usage; classifies
 * any failure. Refresh and retry are the SalesforceClient's business.
 */
@Injectable()
export class SalesforceHttp {
  private readonly apiVersion: string;

  constructor(
    private readonly pools: InstancePools,
    private readonly metrics: SalesforceMetrics,
    private readonly apiUsage: ApiUsageTracker,
    config: ConfigService,
  ) {
    this.apiVersion = config.getOrThrow<SalesforceConfig>('salesforce').apiVersion;
  }

  openSession(fields: Omit<SalesforceSession, 'connection'> & { accessToken: string }): SalesforceSession {
    const connection = new Connection({
      instanceUrl: fields.instanceUrl,
      accessToken: fields.accessToken,
      version: this.apiVersion,
      callOptions: CALL_OPTIONS,
    });
    const transport = this.pools.transport(fields.instanceUrl);
    connection._transport = transport;
    connection.oauth2._transport = transport;
    return {
      tenantId: fields.tenantId,
      instance: fields.instance,
      instanceUrl: fields.instanceUrl,
      tokenVersion: fields.tokenVersion,
      connection,
    };
  }

  async send<T>(session: SalesforceSession, request: SalesforceRequest, signal: AbortSignal): Promise<T> {
    const started = performance.now();
    let status: number | undefined;
    let outcome = 'ok';
    const options: PoolRequestOptions = {
      signal,
      onResponse: (response) => {
        status = response.statusCode;
        this.apiUsage.record(session.tenantId, response.headers['sforce-limit-info']);
      },
    };
    try {
      return await session.connection.request<T>(
        {
          method: request.method,
          url: request.path,
          headers: {
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...request.headers,
          },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        },
        options,
      );
    } catch (error) {
      const failure = toSalesforceError(error, status);
      outcome = failure.errorClass;
      throw failure;
    } finally {
      this.metrics.requestDuration.observe(
        { instance: session.instance, method: request.method, outcome },
        (performance.now() - started) / 1000,
      );
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Counter } from 'prom-client';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import type { WritesConfig } from '../../../config/writes.config';
import { MetricsService } from '../../metrics/metrics.service';
import { SalesforceClient } from '../../salesforce/client/salesforce-client';
import { SalesforceError } from '../../salesforce/client/salesforce-error';
import { CallCache } from '../services/call-cache';
import {
  buildLookupRequests,
  knownRecordsOf,
  type LookupFailure,
  type LookupResult,
  mergeLookupAnswers,
  type PartOutcome,
} from './lookup-request';
import { normalizePhone } from '../../mapping';

export interface TimedLookup {
  result: LookupResult;
  /** Time spent waiting for Salesforce (0 when served from the call's cache). */
  salesforceMs: number;
}

/**
 * Caller lookup by phone: the SOSL search and the SOQL fallback sent at the same moment (one round trip of wall
 * time, two API calls), or nothing when this call already looked the caller up. A half that fails is logged,
 * counted, and named in the answer; the lookup fails only when both do.
 */
@Injectable()
export class LookupService {
  private readonly logger = new Logger(LookupService.name);
  private readonly apiVersion: string;
  private readonly defaultRegion: string;
  private readonly partFailures: Counter<'part' | 'error_code'>;

  constructor(
    private readonly client: SalesforceClient,
    private readonly cache: CallCache,
    config: ConfigService,
    metrics: MetricsService,
  ) {
    this.apiVersion = config.getOrThrow<SalesforceConfig>('salesforce').apiVersion;
    this.defaultRegion = config.getOrThrow<WritesConfig>('writes').defaultPhoneRegion;
    this.partFailures = new Counter({
      name: 'aicall_lookup_part_failures_total',
      help: 'Caller lookups answered by one half only: the half that failed (sosl or soql) and its error code',
      labelNames: ['part', 'error_code'] as const,
      registers: [metrics.registry],
    });
  }

  async lookup(tenantId: string, rawPhone: string, callId?: string): Promise<TimedLookup> {
    const phone = normalizePhone(rawPhone, this.defaultRegion);
    if (callId) {
      const cached = (await this.cache.get(tenantId, callId)).lookup;
      if (cached && cached.phone === phone.e164) {
        return { result: { matches: cached.matches, source: 'cache', phone: phone.e164 }, salesforceMs: 0 };
      }
    }
    const requests = buildLookupRequests(phone, this.apiVersion);
    const started = performance.now();
    const [search, queries] = await Promise.all([
      outcomeOf(this.client.search(tenantId, requests.sosl)),
      outcomeOf(this.client.composite(tenantId, requests.queries)),
    ]);
    const salesforceMs = performance.now() - started;
    const { failure, ...merged } = mergeLookupAnswers({ search, queries });
    // Neither half answered: the search's own error, classified by the client, goes to the route.
    if (failure && !search.ok) throw search.error;
    if (merged.degraded) {
      const { failed, errorCode, message } = merged.degraded;
      this.partFailures.inc({ part: failed, error_code: errorCode });
      this.logger.warn({ tenantId, failed, errorCode, message }, 'caller lookup answered by one half only');
    }
    const result: LookupResult = { ...merged, phone: phone.e164 };
    // A half answer is not kept for the call: the next lookup asks both halves again.
    if (callId && !result.degraded) {
      await this.cache.putLookup(tenantId, callId, result, knownRecordsOf(result.matches));
    }
    return { result, salesforceMs };
  }
}

type Answer<T> = PartOutcome<T> & ({ ok: true } | { ok: false; error: SalesforceError });

/** A half's answer, or its classified failure (anything else is a bug and is thrown). */
async function outcomeOf<T>(request: Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, body: await request };
  } catch (error) {
    if (!(error instanceof SalesforceError)) throw error;
    const failure: LookupFailure = {
      errorCode: error.salesforceErrorCode,
      message: error.message,
      status: error.salesforceStatus ?? 0,
    };
    return { ok: false, failure, error };
  }
}

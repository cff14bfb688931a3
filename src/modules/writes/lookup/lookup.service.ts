import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import type { WritesConfig } from '../../../config/writes.config';
import { SalesforceClient } from '../../salesforce/client/salesforce-client';
import { SalesforceError } from '../../salesforce/client/salesforce-error';
import { CallCache } from '../services/call-cache';
import {
  buildLookupComposite,
  knownRecordsOf,
  type LookupResult,
  mergeLookupResponse,
} from './lookup-request';
import { normalizePhone } from './phone-number';

export interface TimedLookup {
  result: LookupResult;
  /** Time spent waiting for Salesforce (0 when served from the call's cache). */
  salesforceMs: number;
}

/** Caller lookup by phone: one composite round trip, or none when this call already looked the caller up. */
@Injectable()
export class LookupService {
  private readonly apiVersion: string;
  private readonly defaultRegion: string;

  constructor(
    private readonly client: SalesforceClient,
    private readonly cache: CallCache,
    config: ConfigService,
  ) {
    this.apiVersion = config.getOrThrow<SalesforceConfig>('salesforce').apiVersion;
    this.defaultRegion = config.getOrThrow<WritesConfig>('writes').defaultPhoneRegion;
  }

  async lookup(tenantId: string, rawPhone: string, callId?: string): Promise<TimedLookup> {
    const phone = normalizePhone(rawPhone, this.defaultRegion);
    if (callId) {
      const cached = (await this.cache.get(tenantId, callId)).lookup;
      if (cached && cached.phone === phone.e164) {
        return { result: { matches: cached.matches, source: 'cache', phone: phone.e164 }, salesforceMs: 0 };
      }
    }
    const started = performance.now();
    const response = await this.client.composite(tenantId, buildLookupComposite(phone, this.apiVersion));
    const salesforceMs = performance.now() - started;
    const { failure, ...merged } = mergeLookupResponse(response);
    if (failure) {
      throw new SalesforceError({
        errorCode: failure.errorCode,
        message: failure.message,
        salesforceStatus: failure.status,
      });
    }
    const result: LookupResult = { ...merged, phone: phone.e164 };
    if (callId) await this.cache.putLookup(tenantId, callId, result, knownRecordsOf(result.matches));
    return { result, salesforceMs };
  }
}

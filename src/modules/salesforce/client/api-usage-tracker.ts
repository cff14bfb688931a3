import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service';

export interface ApiUsage {
  used: number;
  limit: number;
  observedAt: Date;
}

/** `Sforce-Limit-Info: api-usage=51/100000` (salesforce-rest.md §7), read like jsforce does. */
export function parseLimitInfo(header: string | undefined): Pick<ApiUsage, 'used' | 'limit'> | undefined {
  const match = header ? /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(header) : null;
  return match ? { used: Number(match[1]), limit: Number(match[2]) } : undefined;
}

/** The latest daily API usage each tenant's org reported, kept per tenant and exported as a metric. */
@Injectable()
export class ApiUsageTracker {
  private readonly usage = new Map<string, ApiUsage>();
  private readonly gauge: Gauge<'tenant_id' | 'kind'>;

  constructor(metrics: MetricsService) {
    this.gauge = new Gauge({
      name: 'aicall_salesforce_api_usage',
      help: 'Daily Salesforce API requests used and allowed, per tenant (from Sforce-Limit-Info)',
      labelNames: ['tenant_id', 'kind'] as const,
      registers: [metrics.registry],
    });
  }

  record(tenantId: string, header: string | undefined): void {
    const parsed = parseLimitInfo(header);
    if (!parsed) return;
    this.usage.set(tenantId, { ...parsed, observedAt: new Date() });
    this.gauge.set({ tenant_id: tenantId, kind: 'used' }, parsed.used);
    this.gauge.set({ tenant_id: tenantId, kind: 'limit' }, parsed.limit);
  }

  get(tenantId: string): ApiUsage | undefined {
    return this.usage.get(tenantId);
  }
}

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

  constructor(metrics: MetricsService) {
    const usage = this.usage;
    // The registry keeps the gauge; it reads the map whenever metrics are scraped.
    new Gauge({
      name: 'aicall_salesforce_api_usage',
      help: 'Daily Salesforce API requests used and allowed, per tenant (from Sforce-Limit-Info)',
      labelNames: ['tenant_id', 'kind'] as const,
      registers: [metrics.registry],
      // Set when scraped rather than on every Salesforce response: the hot path only updates the map.
      collect() {
        for (const [tenantId, { used, limit }] of usage) {
          this.set({ tenant_id: tenantId, kind: 'used' }, used);
          this.set({ tenant_id: tenantId, kind: 'limit' }, limit);
        }
      },
    });
  }

  record(tenantId: string, header: string | undefined): void {
    const parsed = parseLimitInfo(header);
    if (!parsed) return;
    this.usage.set(tenantId, { ...parsed, observedAt: new Date() });
  }

  get(tenantId: string): ApiUsage | undefined {
    return this.usage.get(tenantId);
  }
}

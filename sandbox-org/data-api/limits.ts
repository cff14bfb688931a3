import type { OrgRuntime } from '../org/org-runtime';
import type { DataResponse } from '../http/reply';
import type { DataContext } from './data-context';
import { restError } from '../http/errors';

/** `Sforce-Limit-Info` value (§7). */
export const limitInfo = (org: OrgRuntime): string =>
  `api-usage=${org.apiRequestsUsed}/${org.settings.dailyApiLimit}`;

/**
 * Spends one call of the org's daily allowance, or answers 403 REQUEST_LIMIT_EXCEEDED when it is gone (§6.3).
 * A plain request or a whole `/composite` costs one call (§5.1); `/composite/batch` one per subrequest (§5.5).
 * Salesforce's daily limit is soft (usage may pass the maximum for a while); the sandbox refuses at once
 * (sandbox-org/README.md).
 */
export function spendApiRequest(org: OrgRuntime): void {
  if (org.apiRequestsUsed >= org.settings.dailyApiLimit) {
    throw restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  }
  org.apiRequestsUsed += 1;
}

const FIXED_LIMITS: Record<string, { Max: number; Remaining: number }> = {
  ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
  DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
  DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
  DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
  DailyStreamingApiEvents: { Max: 1000000, Remaining: 1000000 },
  DataStorageMB: { Max: 1024, Remaining: 1000 },
  FileStorageMB: { Max: 1024, Remaining: 1024 },
  HourlyODataCallout: { Max: 20000, Remaining: 20000 },
  MassEmail: { Max: 5000, Remaining: 5000 },
  SingleEmail: { Max: 5000, Remaining: 5000 },
};

/** `GET /limits` (§7): every entry `{Max, Remaining}`. */
export function limitsResource(ctx: DataContext): DataResponse {
  const { dailyApiLimit } = ctx.org.settings;
  return {
    status: 200,
    body: {
      ...FIXED_LIMITS,
      DailyApiRequests: {
        Max: dailyApiLimit,
        Remaining: Math.max(0, dailyApiLimit - ctx.org.apiRequestsUsed),
      },
    },
  };
}

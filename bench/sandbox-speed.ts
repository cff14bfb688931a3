/**
 * Proves the sandbox org is never what a benchmark measures: drives ~1,000 requests/s for ~10 s (a mix of
 * sObject GET, a composite of 3 upserts, and a SOQL query) against an in-process sandbox with no added
 * latency, and reports the sandbox's own time per request from `X-Sandbox-Elapsed-Ms`.
 *
 *   npx ts-node --transpile-only bench/sandbox-speed.ts [rate=1000] [seconds=10]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';
import { startSandboxOrg } from '../sandbox-org';
import { API_VERSION, dataApi, demoToken } from '../sandbox-org/testing/sandbox-test-client';

const RATE = Number(process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 10);
const V = `/services/data/v${API_VERSION}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

async function main() {
  const sandbox = await startSandboxOrg({ settings: { dailyApiLimit: 10_000_000 } });
  const token = await demoToken(sandbox);
  const api = dataApi(sandbox, token.access_token);
  const { id: accountId } = (await api('POST', '/sobjects/Account', { Name: 'Bench Account' })).body as {
    id: string;
  };

  const elapsed: Record<string, number[]> = { get: [], composite: [], query: [] };
  const statuses: Record<string, number> = {};
  const recorder =
    (kind: string) => (status: number, _body: string, _context: object, headers?: IncomingHttpHeaders) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      const value = Number(headers?.['x-sandbox-elapsed-ms']);
      if (Number.isFinite(value)) elapsed[kind].push(value);
    };
  const headers = { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' };
  const upsert = (n: number) => ({
    method: 'PATCH',
    url: `${V}/sobjects/Contact/AICall_External_Id__c/bench-${n}`,
    referenceId: `c${n}`,
    body: { LastName: `Bench ${n}`, Phone: '4155550100' },
  });

  const result = await autocannon({
    url: sandbox.demo.instanceUrl,
    connections: 20,
    overallRate: RATE,
    duration: SECONDS,
    requests: [
      { method: 'GET', path: `${V}/sobjects/Account/${accountId}`, headers, onResponse: recorder('get') },
      {
        method: 'POST',
        path: `${V}/composite`,
        headers,
        body: JSON.stringify({ allOrNone: true, compositeRequest: [1, 2, 3].map(upsert) }),
        onResponse: recorder('composite'),
      },
      {
        method: 'GET',
        path: `${V}/query?q=${encodeURIComponent('SELECT Id, Name, Phone FROM Contact WHERE AccountId != null LIMIT 10')}`,
        headers,
        onResponse: recorder('query'),
      },
    ],
  });
  await sandbox.close();

  const report = {
    target: { ratePerSecond: RATE, seconds: SECONDS, connections: 20 },
    achievedRatePerSecond: Math.round(result.requests.average),
    totalRequests: result.requests.total,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    sandboxElapsedMs: {
      all: summary(Object.values(elapsed).flat()),
      sobjectGet: summary(elapsed.get),
      compositeOf3Upserts: summary(elapsed.composite),
      query: summary(elapsed.query),
    },
    clientObservedLatencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
  };
  console.log(JSON.stringify(report, null, 2));
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sandbox-speed.json'), `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { cpus } from 'node:os';
import type { Endpoint, RequestSample } from './call-load';
import type { UsageReport } from './processes';
import type { PathCounts } from './sandbox-control';
import { distribution, round, type Distribution } from './stats';

/** Latencies are over the 2xx answers only (an error answer is not the path being measured). */
export interface EndpointFigures {
  requests: number;
  statuses: Record<string, number>;
  /** Client-side latency. */
  totalMs: Distribution;
  /** Salesforce time reported by the API (`Server-Timing: sf`), over the responses that carried it. */
  salesforceMs: Distribution;
  /** total − Salesforce time, per request (total alone when no Salesforce time was reported). */
  ownMs: Distribution;
  responsesWithSalesforceTiming: number;
}

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface BenchmarkReport {
  startedAt: string;
  command: string;
  config: Record<string, string | number>;
  endpoints: Record<Endpoint, EndpointFigures>;
  throughput: { durationSeconds: number; calls: number; callsPerSecond: number; requestsPerSecond: number };
  transportErrors: { errors: number; timeouts: number };
  lookupSources: Record<string, number>;
  intentOutcomes: Record<string, number>;
  roundTrips: {
    probeWrites: number;
    probeCountsByPath: PathCounts;
    compositePerCriticalWrite: number;
    salesforceRequestsPerCriticalWrite: number;
    runCountsByPath: PathCounts;
    salesforceRequestsPerCall: number;
  };
  backgroundWrites: { completions: Record<string, number>; queuedCriticalWrites: Record<string, number> };
  records: { connectorOpportunities: number; callsWithIntents: number };
  /** Paced phase: as many calls in progress, a think time between requests; `requestsPerSecond` achieved. */
  paced?: { requestsPerSecond: number; calls: number; endpoints: Record<Endpoint, EndpointFigures> };
  usage: UsageReport;
  baseline: {
    writes: number;
    failures: number;
    firstFailure?: string;
    perWriteMs: Distribution;
    writesPerSecond: number;
  };
  /** Critical intents answered 200 (written during the call), client side: our end to end per write. */
  criticalWriteEndToEndMs: Distribution;
  /** Baseline ÷ ours, end to end per critical write, at each percentile. */
  speedup: { p50: number; p95: number; p99: number };
  targets: TargetCheck[];
}

export function endpointFigures(samples: RequestSample[], endpoint: Endpoint): EndpointFigures {
  const mine = samples.filter((sample) => sample.endpoint === endpoint);
  const statuses: Record<string, number> = {};
  for (const sample of mine)
    statuses[statusClass(sample.status)] = (statuses[statusClass(sample.status)] ?? 0) + 1;
  const answered = mine.filter((sample) => sample.status >= 200 && sample.status < 300);
  const timed = answered.filter((sample) => sample.sfMs !== undefined);
  return {
    requests: mine.length,
    statuses,
    totalMs: distribution(answered.map((sample) => sample.totalMs)),
    salesforceMs: distribution(timed.map((sample) => sample.sfMs ?? 0)),
    ownMs: distribution(answered.map((sample) => Math.max(0, sample.totalMs - (sample.sfMs ?? 0)))),
    responsesWithSalesforceTiming: timed.length,
  };
}

/** 202 apart from the other 2xx: it is the answer of queued / deferred writes. */
function statusClass(status: number): string {
  if (status === 202) return '202';
  return `${Math.floor(status / 100)}xx`;
}

const fmt = (value: number) => (Number.isFinite(value) ? String(round(value, 1)) : '–');
const triple = (d: Distribution) => `${fmt(d.p50)} / ${fmt(d.p95)} / ${fmt(d.p99)}`;
const statusText = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');

const endpointTable = (endpoints: Record<Endpoint, EndpointFigures>) => [
  '| endpoint | requests | total (client side) | Salesforce (Server-Timing sf) | our own (total − sf) | statuses |',
  '|---|---|---|---|---|---|',
  ...(Object.entries(endpoints) as Array<[Endpoint, EndpointFigures]>).map(
    ([endpoint, f]) =>
      `| ${endpoint} | ${f.requests} | ${triple(f.totalMs)} | ${triple(f.salesforceMs)} | ${triple(f.ownMs)} | ${statusText(f.statuses)} |`,
  ),
];

function pacedSection(paced: BenchmarkReport['paced']): string[] {
  if (!paced) return [];
  return [
    `## Paced: ${paced.calls} calls, as many in progress, a think time between requests (${paced.requestsPerSecond} requests/s)`,
    '',
    ...endpointTable(paced.endpoints),
    '',
  ];
}

function usageSection(usage: UsageReport): string[] {
  const rows = Object.entries(usage.byProcess).map(
    ([name, u]) =>
      `| ${name} | ${fmt(u.rssAtStartMb)} | ${fmt(u.rssPeakSampledMb)} | ${fmt(u.rssLifetimePeakMb)} | ` +
      `${fmt(u.cpuSeconds)} (${fmt((100 * u.cpuSeconds) / usage.wallSeconds)}% of a core) |`,
  );
  const named = Object.values(usage.byProcess).reduce((sum, u) => sum + u.cpuSeconds, 0);
  return [
    `## Processes during the load phase and the drain (${fmt(usage.wallSeconds)} s)`,
    '',
    '| process | RSS before (MB) | peak RSS, sampled every 200 ms (MB) | VmHWM, lifetime (MB) | CPU s |',
    '|---|---|---|---|---|',
    ...rows,
    `| everything else on the machine (Postgres, Redis, other users' jobs) | | | | ${fmt(usage.machineBusyCpuSeconds - named)} |`,
    '',
    `Machine: ${fmt(usage.machineBusyCpuSeconds)} CPU s busy of ${fmt(cpus().length * usage.wallSeconds)} available.`,
    '',
  ];
}

export function markdown(report: BenchmarkReport): string {
  const targetRows = report.targets.map(
    (t) => `| ${t.name} | ${t.target} | ${t.measured} | ${t.met ? 'met' : '**missed**'} |`,
  );
  const { roundTrips: rt, throughput: tp, baseline: bl } = report;
  return [
    `# Call benchmark, ${report.startedAt}`,
    '',
    `\`${report.command}\` — ${Object.entries(report.config)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}`,
    '',
    '## Per endpoint, saturating load (ms: p50 / p95 / p99 over the 2xx answers)',
    '',
    ...endpointTable(report.endpoints),
    '',
    `Throughput: ${fmt(tp.callsPerSecond)} calls/s, ${fmt(tp.requestsPerSecond)} requests/s ` +
      `(${tp.calls} calls in ${fmt(tp.durationSeconds)} s); transport errors ${report.transportErrors.errors}, ` +
      `timeouts ${report.transportErrors.timeouts}.`,
    `Lookup answers: ${statusText(report.lookupSources)}. Intent answers: ${statusText(report.intentOutcomes)}.`,
    '',
    '## Salesforce round trips',
    '',
    `Probe of ${rt.probeWrites} critical writes (after their lookups, nothing else running): ` +
      `${fmt(rt.compositePerCriticalWrite)} composite and ${fmt(rt.salesforceRequestsPerCriticalWrite)} ` +
      `Salesforce requests per write (${JSON.stringify(rt.probeCountsByPath)}).`,
    `Whole load run: ${fmt(rt.salesforceRequestsPerCall)} Salesforce requests per call ` +
      `(${JSON.stringify(rt.runCountsByPath)}).`,
    `Background writes afterwards: completions ${statusText(report.backgroundWrites.completions)}; ` +
      `critical writes answered 202 ${statusText(report.backgroundWrites.queuedCriticalWrites) || 'none'}. ` +
      `Connector Opportunities in the org: ${report.records.connectorOpportunities} for ` +
      `${report.records.callsWithIntents} calls.`,
    '',
    '## Baseline: three sequential jsforce creates per write, same concurrency and latency',
    '',
    `${bl.writes} writes, ${bl.failures} failed; per write p50 / p95 / p99: ${triple(bl.perWriteMs)} ms; ` +
      `${fmt(bl.writesPerSecond)} writes/s. Ours (critical intents answered 200, ` +
      `${report.criticalWriteEndToEndMs.count}): ${triple(report.criticalWriteEndToEndMs)} ms. ` +
      `Baseline ÷ ours, end to end per critical write: ` +
      `p50 ${fmt(report.speedup.p50)}×, p95 ${fmt(report.speedup.p95)}×, p99 ${fmt(report.speedup.p99)}×.`,
    '',
    ...pacedSection(report.paced),
    ...usageSection(report.usage),
    '## Targets (product.md)',
    '',
    '| target | bar | measured | |',
    '|---|---|---|---|',
    ...targetRows,
    '',
  ].join('\n');
}

export function targetChecks(report: Omit<BenchmarkReport, 'targets'>): TargetCheck[] {
  const intent = report.endpoints.intent;
  const complete = report.endpoints.complete;
  const completeAll202 = (complete.statuses['202'] ?? 0) === complete.requests && complete.requests > 0;
  return [
    {
      name: 'our own time, critical intent',
      target: 'p50 ≤ 2 ms, p99 ≤ 10 ms',
      measured: `p50 ${fmt(intent.ownMs.p50)} ms, p99 ${fmt(intent.ownMs.p99)} ms`,
      met: intent.ownMs.p50 <= 2 && intent.ownMs.p99 <= 10,
    },
    {
      name: 'our own time, lookup',
      target: 'p50 ≤ 2 ms, p99 ≤ 10 ms',
      measured: `p50 ${fmt(report.endpoints.lookup.ownMs.p50)} ms, p99 ${fmt(report.endpoints.lookup.ownMs.p99)} ms`,
      met: report.endpoints.lookup.ownMs.p50 <= 2 && report.endpoints.lookup.ownMs.p99 <= 10,
    },
    ...pacedChecks(report.paced),
    {
      name: 'round trips per critical write',
      target: 'exactly 1',
      measured: `${fmt(report.roundTrips.salesforceRequestsPerCriticalWrite)} (composite ${fmt(report.roundTrips.compositePerCriticalWrite)})`,
      met:
        report.roundTrips.salesforceRequestsPerCriticalWrite === 1 &&
        report.roundTrips.compositePerCriticalWrite === 1,
    },
    {
      name: 'end to end vs sequential baseline',
      target: '≥ 2.5× faster',
      measured: `p50 ${fmt(report.speedup.p50)}×, p99 ${fmt(report.speedup.p99)}×`,
      met: report.speedup.p50 >= 2.5,
    },
    {
      name: 'non-blocking write (completion)',
      target: '202, p99 ≤ 10 ms',
      measured: `${statusText(complete.statuses)}; p99 ${fmt(complete.totalMs.p99)} ms`,
      met: completeAll202 && complete.totalMs.p99 <= 10,
    },
  ];
}

function pacedChecks(paced: BenchmarkReport['paced']): TargetCheck[] {
  if (!paced) return [];
  const own = paced.endpoints.intent.ownMs;
  return [
    {
      name: `our own time, critical intent, paced (${paced.requestsPerSecond} req/s)`,
      target: 'p50 ≤ 2 ms, p99 ≤ 10 ms',
      measured: `p50 ${fmt(own.p50)} ms, p99 ${fmt(own.p99)} ms`,
      met: own.p50 <= 2 && own.p99 <= 10,
    },
  ];
}

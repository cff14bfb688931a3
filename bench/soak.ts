/**
 * The soak run (issue 13): a steady paced load of simulated calls (lookup, two critical intents, completion;
 * `--concurrency` calls in progress, a think time between requests) against the real API and worker for
 * `--minutes`, reporting per minute the requests served, the non-2xx answers, our own time (total − Salesforce
 * time, from `Server-Timing: sf`) of lookups and intents at p50/p95/p99, and the resident set (RSS) of the API
 * and the worker. Flat RSS and flat own time from minute to minute are the bar. Writes JSON + markdown to
 * bench/results/soak-<time>.{json,md}. Needs Postgres and Redis on 127.0.0.1, as the benchmark does.
 *
 *   npm run bench:soak -- [--minutes=10] [--concurrency=50] [--think-ms=1000] [--latency=50]
 *   (or BENCH_SOAK_MINUTES, BENCH_SOAK_CONCURRENCY, BENCH_THINK_MS, BENCH_LATENCY_MS)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { RequestSample } from './call-benchmark/call-load';
import { runPacedCalls } from './call-benchmark/paced-calls';
import { REPO_ROOT, residentSetMb } from './call-benchmark/processes';
import { provisionTenant } from './call-benchmark/provision';
import { waitForQuiet } from './call-benchmark/sandbox-control';
import { Cleanup, log, runWithCleanup, startSandbox, startServices } from './call-benchmark/services';
import { distribution, round, type Distribution } from './call-benchmark/stats';

const MINUTE_MS = 60_000;
const RSS_SAMPLE_MS = 5_000;

function option(flag: string, envName: string, fallback: number): number {
  const fromArgs = process.argv.find((arg) => arg.startsWith(`--${flag}=`))?.split('=')[1];
  const value = Number(fromArgs ?? process.env[envName] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${flag} / ${envName} must be a number > 0`);
  return value;
}

function readConfig() {
  const concurrency = option('concurrency', 'BENCH_SOAK_CONCURRENCY', 50);
  return {
    minutes: option('minutes', 'BENCH_SOAK_MINUTES', 10),
    concurrency,
    thinkMs: option('think-ms', 'BENCH_THINK_MS', 1_000),
    latencyMs: option('latency', 'BENCH_LATENCY_MS', 50),
    poolConnections: Math.max(32, concurrency),
  };
}

interface MinuteFigures {
  minute: number;
  requests: number;
  requestsPerSecond: number;
  /** Answers outside 2xx (and transport errors, as status 0). */
  errors: number;
  lookupOwnMs: Distribution;
  intentOwnMs: Distribution;
  /** RSS at the end of the minute, and the largest sample within it, MB. */
  apiRssMb: { end: number; max: number };
  workerRssMb: { end: number; max: number };
  /** The machine's 1-minute load average at the end of the minute: other work competing for the cores. */
  loadAverage: number;
}

/** RSS of the API and the worker (and the machine's load average) every few seconds, with when each was taken. */
class RssSampler {
  readonly samples: Array<{ at: number; api: number; worker: number; load: number }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly apiPid: number,
    private readonly workerPid: number,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), RSS_SAMPLE_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    this.samples.push({
      at: performance.now(),
      api: residentSetMb(this.apiPid) ?? NaN,
      worker: residentSetMb(this.workerPid) ?? NaN,
      load: loadavg()[0],
    });
  }
}

function perMinute(samples: RequestSample[], rss: RssSampler['samples'], startedAt: number): MinuteFigures[] {
  const minutes: MinuteFigures[] = [];
  const lastAt = samples.reduce((latest, sample) => Math.max(latest, sample.endedAt ?? startedAt), startedAt);
  for (let minute = 0; startedAt + minute * MINUTE_MS < lastAt; minute++) {
    const from = startedAt + minute * MINUTE_MS;
    const to = from + MINUTE_MS;
    // The calls under way when the run ends finish in a short tail: too few requests to stand for a minute.
    if (minute > 0 && lastAt - from < MINUTE_MS / 2) break;
    const inMinute = samples.filter((s) => s.endedAt !== undefined && s.endedAt >= from && s.endedAt < to);
    const ok = inMinute.filter((s) => s.status >= 200 && s.status < 300);
    const own = (endpoint: RequestSample['endpoint']) =>
      distribution(
        ok.filter((s) => s.endpoint === endpoint).map((s) => Math.max(0, s.totalMs - (s.sfMs ?? 0))),
      );
    const rssInMinute = rss.filter((r) => r.at >= from && r.at < to);
    const seconds = (Math.min(to, lastAt) - from) / 1000;
    const memory = (pick: (r: RssSampler['samples'][number]) => number) => ({
      end: round(rssInMinute.length ? pick(rssInMinute[rssInMinute.length - 1]) : NaN, 1),
      max: round(Math.max(...rssInMinute.map(pick)), 1),
    });
    minutes.push({
      minute: minute + 1,
      requests: inMinute.length,
      requestsPerSecond: round(inMinute.length / seconds, 1),
      errors: inMinute.length - ok.length,
      lookupOwnMs: own('lookup'),
      intentOwnMs: own('intent'),
      apiRssMb: memory((r) => r.api),
      workerRssMb: memory((r) => r.worker),
      loadAverage: memory((r) => r.load).end,
    });
  }
  return minutes;
}

/** From the second minute (the first includes warm-up: JIT, pools, caches) to the last. */
function drift(minutes: MinuteFigures[]) {
  const steady = minutes.length > 2 ? minutes.slice(1) : minutes;
  const first = steady[0];
  const last = steady[steady.length - 1];
  const change = (a: number, b: number) => `${round(a, 1)} → ${round(b, 1)}`;
  return {
    fromMinute: first.minute,
    toMinute: last.minute,
    apiRssMb: change(first.apiRssMb.end, last.apiRssMb.end),
    workerRssMb: change(first.workerRssMb.end, last.workerRssMb.end),
    intentOwnP95Ms: change(first.intentOwnMs.p95, last.intentOwnMs.p95),
    lookupOwnP95Ms: change(first.lookupOwnMs.p95, last.lookupOwnMs.p95),
  };
}

const triple = (d: Distribution) => `${d.p50} / ${d.p95} / ${d.p99}`;

function markdown(report: {
  startedAt: string;
  command: string;
  config: Record<string, unknown>;
  minutes: MinuteFigures[];
  drift: ReturnType<typeof drift>;
  totals: { requests: number; errors: number; calls: number };
}): string {
  const { drift: d } = report;
  return [
    `# Soak run, ${report.startedAt}`,
    '',
    `\`${report.command}\` — ${Object.entries(report.config)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(', ')}`,
    '',
    '| minute | requests | req/s | non-2xx | lookup own ms (p50 / p95 / p99) | intent own ms (p50 / p95 / p99) | API RSS MB (end / max) | worker RSS MB (end / max) | load avg |',
    '|---:|---:|---:|---:|---|---|---|---|---:|',
    ...report.minutes.map(
      (m) =>
        `| ${m.minute} | ${m.requests} | ${m.requestsPerSecond} | ${m.errors} | ${triple(m.lookupOwnMs)} | ${triple(m.intentOwnMs)} | ${m.apiRssMb.end} / ${m.apiRssMb.max} | ${m.workerRssMb.end} / ${m.workerRssMb.max} | ${m.loadAverage} |`,
    ),
    '',
    `${report.totals.calls} calls, ${report.totals.requests} requests, ${report.totals.errors} non-2xx. ` +
      `Load avg = the machine's 1-minute load average on ${cpus().length} cores: above that, other work competed for them.`,
    `Minute ${d.fromMinute} → ${d.toMinute}: API RSS ${d.apiRssMb} MB, worker RSS ${d.workerRssMb} MB, ` +
      `intent own p95 ${d.intentOwnP95Ms} ms, lookup own p95 ${d.lookupOwnP95Ms} ms.`,
    '',
  ].join('\n');
}

async function run(config: ReturnType<typeof readConfig>, cleanup: Cleanup): Promise<void> {
  const startedAtIso = new Date().toISOString();
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  log(`soak: sandbox org (+${config.latencyMs} ms per request), API and worker…`);
  const { info: sandbox } = await startSandbox(config, cleanup);
  const services = await startServices(config, runId, cleanup);
  const tenant = await provisionTenant(services.apiUrl, services.operatorKey, sandbox);
  log(
    `soak: ${config.minutes} min, ${config.concurrency} calls in progress, ~${config.thinkMs} ms between requests`,
  );
  const rss = new RssSampler(services.api.pid, services.worker.pid);
  const startedAt = performance.now();
  rss.start();
  const progress = setInterval(
    () => log(`soak: ${Math.round((performance.now() - startedAt) / MINUTE_MS)} min done`),
    MINUTE_MS,
  );
  const load = await runPacedCalls({
    apiUrl: services.apiUrl,
    agentKey: tenant.agentKey,
    calls: Number.MAX_SAFE_INTEGER,
    concurrency: config.concurrency,
    thinkMs: config.thinkMs,
    knownCallerShare: 0.5,
    callIdPrefix: `${runId}-soak`,
    durationMs: config.minutes * MINUTE_MS,
  });
  clearInterval(progress);
  rss.stop();
  await waitForQuiet(sandbox.instanceUrl, 2_000, 60_000);

  const minutes = perMinute(load.samples, rss.samples, startedAt);
  const report = {
    startedAt: startedAtIso,
    command: `npm run bench:soak -- ${process.argv.slice(2).join(' ')}`.trim(),
    config: { ...config, cpus: cpus().length, node: process.version },
    minutes,
    drift: drift(minutes),
    totals: {
      calls: load.calls,
      requests: load.samples.length,
      errors: load.samples.filter((s) => s.status < 200 || s.status >= 300).length,
    },
  };
  const directory = `${REPO_ROOT}/bench/results`;
  mkdirSync(directory, { recursive: true });
  const stamp = startedAtIso.replace(/[:.]/g, '-');
  const text = markdown(report);
  writeFileSync(`${directory}/soak-${stamp}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${directory}/soak-${stamp}.md`, text);
  log(`wrote bench/results/soak-${stamp}.{json,md}`);
  process.stdout.write(`${text}\n`);
}

runWithCleanup((cleanup) => run(readConfig(), cleanup));

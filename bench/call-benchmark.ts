/**
 * The call benchmark (issue 6): simulated live calls against the real API and worker, the sandbox org adding
 * 50 ms per Salesforce request, and — in the same run — the same writes done without us (three sequential
 * jsforce creates). Reports per endpoint the client-side latency, the Salesforce time the API reports
 * (`Server-Timing: sf;dur=`) and our own time (the difference); round trips per critical write from the
 * sandbox's request log; throughput; peak RSS of the API and the worker. Writes JSON + markdown to
 * bench/results/. Needs Postgres and Redis on 127.0.0.1 (as the tests do); creates and drops its own database.
 *
 *   npm run bench -- [--calls=2000] [--connections=100] [--latency=50] [--known-share=0.5]
 *                    [--warmup-calls=200] [--paced-calls=300] [--think-ms=1000] [--probe-calls=50] [--pool=100]
 *   (or BENCH_CALLS, BENCH_CONNECTIONS, BENCH_LATENCY_MS, BENCH_KNOWN_SHARE, BENCH_WARMUP_CALLS,
 *    BENCH_PACED_CALLS, BENCH_THINK_MS, BENCH_PROBE_CALLS, BENCH_SF_POOL_CONNECTIONS)
 *
 * Phases: warm-up (not measured); the saturating load (every connection sends its next request as soon as the
 * last is answered: on 2 cores this measures queueing for the CPU as much as our code); a paced load (as many calls in progress,
 * a think time between requests); a round-trip probe; the baseline.
 */
import Queue from 'bull';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dropDatabase } from '../src/database/ensure-database';
import { ALL_QUEUES, QueueName } from '../src/modules/queue/queue-names';
import { baselineConnection, runBaseline } from './call-benchmark/baseline';
import { runCalls, type CallLoadOptions, type CallLoadResult } from './call-benchmark/call-load';
import { runPacedCalls } from './call-benchmark/paced-calls';
import { requestJson } from './call-benchmark/http';
import { NodeChild, ProcessSampler, REPO_ROOT, freePort, waitUntilReady } from './call-benchmark/processes';
import {
  CRITICAL_INTENTS,
  provisionTenant,
  type CriticalIntent,
  type Tenant,
} from './call-benchmark/provision';
import { endpointFigures, markdown, targetChecks, type BenchmarkReport } from './call-benchmark/report';
import {
  compositeCount,
  countsSince,
  recordsOf,
  requestCounts,
  totalOf,
  waitForQuiet,
} from './call-benchmark/sandbox-control';
import { SANDBOX_READY_PREFIX, type SandboxInfo } from './call-benchmark/sandbox-process';
import { distribution, round } from './call-benchmark/stats';

const POSTGRES_SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const STARTUP_TIMEOUT_MS = 120_000;

function option(flag: string, envName: string, fallback: number): number {
  const fromArgs = process.argv.find((arg) => arg.startsWith(`--${flag}=`))?.split('=')[1];
  const value = Number(fromArgs ?? process.env[envName] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} / ${envName} must be a number >= 0`);
  return value;
}

function readConfig() {
  const connections = option('connections', 'BENCH_CONNECTIONS', 100);
  return {
    calls: option('calls', 'BENCH_CALLS', 2_000),
    connections,
    latencyMs: option('latency', 'BENCH_LATENCY_MS', 50),
    knownCallerShare: option('known-share', 'BENCH_KNOWN_SHARE', 0.5),
    warmupCalls: option('warmup-calls', 'BENCH_WARMUP_CALLS', 200),
    probeCalls: option('probe-calls', 'BENCH_PROBE_CALLS', 50),
    // A second phase: as many calls in progress, each with a think time between requests (0 calls: skipped).
    pacedCalls: option('paced-calls', 'BENCH_PACED_CALLS', 300),
    thinkMs: option('think-ms', 'BENCH_THINK_MS', 1_000),
    // One Salesforce socket per concurrent call, so calls never queue for a socket in our pool (default 32).
    poolConnections: option('pool', 'BENCH_SF_POOL_CONNECTIONS', Math.max(32, connections)),
  };
}
type Config = ReturnType<typeof readConfig>;

/** Clean-up steps, run last-registered first, each at most once, whatever failed before. */
class Cleanup {
  private readonly steps: Array<{ name: string; run: () => Promise<unknown> }> = [];
  private done = false;

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  async runAll(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const step of [...this.steps].reverse()) {
      try {
        await step.run();
      } catch (error) {
        console.error(`clean-up "${step.name}" failed:`, error instanceof Error ? error.message : error);
      }
    }
  }
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function startSandbox(
  config: Config,
  cleanup: Cleanup,
): Promise<{ info: SandboxInfo; child: NodeChild }> {
  const child = new NodeChild('sandbox', 'bench/call-benchmark/sandbox-process.ts', {
    ...process.env,
    BENCH_SANDBOX_LATENCY_MS: String(config.latencyMs),
  });
  cleanup.add('stop sandbox', () => child.stop());
  const line = await child.waitForLine((l) => l.startsWith(SANDBOX_READY_PREFIX), STARTUP_TIMEOUT_MS);
  return { info: JSON.parse(line.slice(SANDBOX_READY_PREFIX.length)) as SandboxInfo, child };
}

/** Removes the run's queues and every other key under its prefix (e.g. the per-call lookup cache). */
async function removeRedisKeys(prefix: string): Promise<void> {
  for (const name of ALL_QUEUES) {
    const queue = new Queue(name, REDIS_URL, { prefix });
    try {
      await queue.obliterate({ force: true });
      let cursor = '0';
      // SCAN pages until the cursor comes back to 0; the iteration bound only guards against a broken server.
      for (let page = 0; page < 100_000; page++) {
        const [nextCursor, keys] = await queue.client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await queue.client.del(...keys);
        cursor = nextCursor;
        if (cursor === '0') break;
      }
    } finally {
      await queue.close();
    }
  }
}

const CONSUMER_WAIT_MS = 30_000;

/**
 * The worker is ready once it consumes the writes queue (Bull names its blocking client after the queue).
 * A worker with no consumer at all (no job processor registered) is reported, not waited for forever.
 */
async function waitForQueueConsumer(prefix: string, worker: NodeChild): Promise<boolean> {
  const queue = new Queue(QueueName.SalesforceWrites, REDIS_URL, { prefix });
  try {
    const deadline = Date.now() + CONSUMER_WAIT_MS;
    while (Date.now() < deadline) {
      if (worker.exited) throw new Error(`worker exited before it was ready\n${worker.output()}`);
      if ((await queue.getWorkers()).length > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    log(
      `the worker consumes no ${QueueName.SalesforceWrites} jobs after ${CONSUMER_WAIT_MS} ms: deferred writes will wait`,
    );
    return false;
  } finally {
    await queue.close();
  }
}

interface Services {
  apiUrl: string;
  operatorKey: string;
  api: NodeChild;
  worker: NodeChild;
  workerConsumesWrites: boolean;
}

async function startServices(config: Config, runId: string, cleanup: Cleanup): Promise<Services> {
  const databaseUrl = `${POSTGRES_SERVER}/aicall_bench_${runId}`;
  const queuePrefix = `bench_${runId}`;
  const operatorKey = `bench-operator-${randomBytes(24).toString('hex')}`;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    OPERATOR_API_KEY: operatorKey,
    SALESFORCE_POOL_CONNECTIONS: String(config.poolConnections),
    // One agent key carries every simulated call here; this benchmark measures capacity, not the per-key limit.
    RATE_LIMIT_AGENT_REQUESTS: '1000000000',
    RATE_LIMIT_MAX_IN_FLIGHT_PER_KEY: '0',
  };
  // Registered first so they run last, after both processes have stopped.
  cleanup.add('drop database', () => dropDatabase(databaseUrl));
  cleanup.add('remove redis keys', () => removeRedisKeys(queuePrefix));
  const apiUrl = `http://127.0.0.1:${port}`;
  // The API first: it creates and migrates the database; the worker then finds it ready.
  const api = new NodeChild('api', 'src/main.ts', env);
  cleanup.add('stop api', () => api.stop());
  await waitUntilReady(`${apiUrl}/health/ready`, api, STARTUP_TIMEOUT_MS);
  const worker = new NodeChild('worker', 'src/worker.ts', env);
  cleanup.add('stop worker', () => worker.stop());
  const workerConsumesWrites = await waitForQueueConsumer(queuePrefix, worker);
  return { apiUrl, operatorKey, api, worker, workerConsumesWrites };
}

/** `items` through `handle`, at most `concurrency` at a time. */
async function forEachLimited<T>(items: T[], concurrency: number, handle: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await handle(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/** Final status of background writes, by asking the API (`GET /v1/writes/{id}`). */
async function writeStatuses(apiUrl: string, agentKey: string, writeIds: string[]) {
  const statuses: Record<string, number> = {};
  await forEachLimited(writeIds, 10, async (writeId) => {
    const { status, body } = await requestJson('GET', `${apiUrl}/v1/writes/${writeId}`, { token: agentKey });
    const state = status === 200 ? String((body as { status?: unknown }).status) : `HTTP ${status}`;
    statuses[state] = (statuses[state] ?? 0) + 1;
  });
  return statuses;
}

/**
 * Round trips per critical write, measured apart from the load (where lookups, completions and the worker's
 * Task writes share the log): lookups for fresh calls first, then only their critical intents, counting what
 * the sandbox instance served in between.
 */
async function probeRoundTrips(
  apiUrl: string,
  tenant: Tenant,
  sandbox: SandboxInfo,
  calls: number,
  runId: string,
) {
  const callIds = Array.from({ length: calls }, (_, i) => `${runId}-probe-${i}`);
  const phoneOf = (i: number) => `+1628${String(9_000_000 + i).padStart(7, '0')}`;
  const agent = { token: tenant.agentKey };
  await forEachLimited(callIds, 10, async (callId) => {
    await requestJson(
      'GET',
      `${apiUrl}/v1/lookup?phone=${encodeURIComponent(phoneOf(callIds.indexOf(callId)))}`,
      agent,
    );
  });
  await waitForQuiet(sandbox.instanceUrl, 1_000, 30_000);
  const before = await requestCounts(sandbox.instanceUrl);
  const intents = Object.keys(CRITICAL_INTENTS) as CriticalIntent[];
  await forEachLimited(callIds, 10, async (callId) => {
    const i = callIds.indexOf(callId);
    const caller = {
      phone: phoneOf(i),
      firstName: 'Probe',
      lastName: `Caller ${i}`,
      company: `Probe ${i} Inc`,
    };
    for (const intent of intents) {
      const value = intent === 'budget_confirmed' ? 25_000 : undefined;
      await requestJson('POST', `${apiUrl}/v1/calls/${callId}/intents`, {
        ...agent,
        body: { intent, value, caller },
      });
    }
  });
  await waitForQuiet(sandbox.instanceUrl, 1_000, 30_000);
  const counts = countsSince(before, await requestCounts(sandbox.instanceUrl));
  const writes = calls * intents.length;
  return {
    probeWrites: writes,
    probeCountsByPath: counts,
    compositePerCriticalWrite: round(compositeCount(counts) / writes, 3),
    salesforceRequestsPerCriticalWrite: round(totalOf(counts) / writes, 3),
  };
}

/** The paced phase: our own time when the requests of the calls in progress come spread out. */
async function runPaced(
  config: Config,
  callLoad: Pick<CallLoadOptions, 'apiUrl' | 'agentKey' | 'knownCallerShare'>,
  runId: string,
  sandbox: SandboxInfo,
) {
  log(
    `paced: ${config.pacedCalls} calls, ${config.connections} in progress, ~${config.thinkMs} ms between requests`,
  );
  const load = await runPacedCalls({
    ...callLoad,
    calls: config.pacedCalls,
    concurrency: config.connections,
    thinkMs: config.thinkMs,
    callIdPrefix: `${runId}-paced`,
  });
  await waitForQuiet(sandbox.instanceUrl, 2_000, 120_000);
  return {
    requestsPerSecond: round(load.samples.length / load.durationSeconds),
    calls: load.calls,
    endpoints: {
      lookup: endpointFigures(load.samples, 'lookup'),
      intent: endpointFigures(load.samples, 'intent'),
      complete: endpointFigures(load.samples, 'complete'),
    },
  };
}

function buildReport(
  config: Record<string, string | number>,
  startedAt: string,
  load: CallLoadResult,
  extra: Pick<
    BenchmarkReport,
    'roundTrips' | 'backgroundWrites' | 'records' | 'usage' | 'paced' | 'baseline'
  >,
): BenchmarkReport {
  const endpoints = {
    lookup: endpointFigures(load.samples, 'lookup'),
    intent: endpointFigures(load.samples, 'intent'),
    complete: endpointFigures(load.samples, 'complete'),
  };
  const ours = distribution(
    load.samples.filter((s) => s.endpoint === 'intent' && s.status === 200).map((s) => s.totalMs),
  );
  const theirs = extra.baseline.perWriteMs;
  const partial: Omit<BenchmarkReport, 'targets'> = {
    startedAt,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    config: { ...config, cpus: cpus().length, node: process.version },
    endpoints,
    throughput: {
      durationSeconds: round(load.durationSeconds),
      calls: load.calls,
      callsPerSecond: round(load.calls / load.durationSeconds),
      requestsPerSecond: round(load.samples.length / load.durationSeconds),
    },
    transportErrors: { errors: load.errors, timeouts: load.timeouts },
    lookupSources: load.lookupSources,
    intentOutcomes: load.intentOutcomes,
    criticalWriteEndToEndMs: ours,
    speedup: {
      p50: round(theirs.p50 / ours.p50),
      p95: round(theirs.p95 / ours.p95),
      p99: round(theirs.p99 / ours.p99),
    },
    ...extra,
  };
  return { ...partial, targets: targetChecks(partial) };
}

function writeResults(report: BenchmarkReport): string {
  const directory = `${REPO_ROOT}/bench/results`;
  mkdirSync(directory, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const text = markdown(report);
  writeFileSync(`${directory}/call-benchmark-${stamp}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${directory}/call-benchmark-${stamp}.md`, text);
  log(`wrote bench/results/call-benchmark-${stamp}.{json,md}`);
  return text;
}

async function run(config: Config, cleanup: Cleanup): Promise<void> {
  const startedAt = new Date().toISOString();
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  log(`sandbox org (+${config.latencyMs} ms per request), API and worker…`);
  const { info: sandbox, child: sandboxChild } = await startSandbox(config, cleanup);
  const services = await startServices(config, runId, cleanup);
  const tenant = await provisionTenant(services.apiUrl, services.operatorKey, sandbox);
  const callLoad = {
    apiUrl: services.apiUrl,
    agentKey: tenant.agentKey,
    knownCallerShare: config.knownCallerShare,
  };

  log(`warm-up: ${config.warmupCalls} calls (not measured)`);
  const warmup =
    config.warmupCalls > 0
      ? await runCalls({
          ...callLoad,
          calls: config.warmupCalls,
          connections: 20,
          callIdPrefix: `${runId}-warm`,
        })
      : undefined;
  await waitForQuiet(sandbox.instanceUrl, 1_500, 60_000);

  log(`load: ${config.calls} calls, ${config.connections} concurrent`);
  const sampler = new ProcessSampler([
    { name: 'api', pid: services.api.pid },
    { name: 'worker', pid: services.worker.pid },
    { name: 'sandbox org', pid: sandboxChild.pid },
    { name: 'benchmark (autocannon)', pid: process.pid },
  ]);
  const countsBefore = await requestCounts(sandbox.instanceUrl);
  sampler.start(200);
  const load = await runCalls({
    ...callLoad,
    calls: config.calls,
    connections: config.connections,
    callIdPrefix: `${runId}-load`,
  });
  log(`load done in ${round(load.durationSeconds)} s; waiting for the worker to drain`);
  const drained = await waitForQuiet(sandbox.instanceUrl, 2_000, 120_000);
  const usage = sampler.stop();
  const runCountsByPath = countsSince(countsBefore, await requestCounts(sandbox.instanceUrl));
  const serverErrors = load.samples.filter((sample) => sample.status >= 500).length;
  if (serverErrors > 0)
    log(`${serverErrors} answers were 5xx; the API's last lines:\n${services.api.output()}`);
  if (!drained)
    log('the sandbox never went quiet: background writes still running (figures below may be partial)');

  const paced = config.pacedCalls > 0 ? await runPaced(config, callLoad, runId, sandbox) : undefined;
  const completions = await writeStatuses(services.apiUrl, tenant.agentKey, load.completionWriteIds);
  const queuedCriticalWrites = await writeStatuses(services.apiUrl, tenant.agentKey, load.queuedWriteIds);

  log(`round-trip probe: ${config.probeCalls} calls`);
  const probe = await probeRoundTrips(services.apiUrl, tenant, sandbox, config.probeCalls, runId);
  const opportunities = await recordsOf(sandbox.instanceUrl, 'Opportunity');
  const connectorOpportunities = opportunities.filter((o) => {
    const key = o.AICall_External_Id__c;
    return typeof key === 'string' && key.startsWith(`${tenant.tenantId}:`);
  }).length;

  const writes = load.calls * Object.keys(CRITICAL_INTENTS).length;
  log(`baseline: ${writes} writes × 3 sequential jsforce creates, ${config.connections} concurrent`);
  const conn = await baselineConnection(sandbox);
  await runBaseline(conn, Math.min(50, writes), 10); // JIT and keep-alive sockets, not measured
  const baseline = await runBaseline(conn, writes, config.connections);

  const reportConfig = { ...config, workerConsumesWrites: services.workerConsumesWrites ? 'yes' : 'no' };
  const report = buildReport(reportConfig, startedAt, load, {
    roundTrips: {
      ...probe,
      runCountsByPath,
      salesforceRequestsPerCall: round(totalOf(runCountsByPath) / load.calls, 3),
    },
    backgroundWrites: { completions, queuedCriticalWrites },
    records: {
      connectorOpportunities,
      callsWithIntents: (warmup?.calls ?? 0) + load.calls + (paced?.calls ?? 0) + config.probeCalls,
    },
    usage,
    paced,
    baseline: {
      writes: baseline.writes,
      failures: baseline.failures,
      firstFailure: baseline.firstFailure,
      perWriteMs: distribution(baseline.latenciesMs),
      writesPerSecond: round(baseline.latenciesMs.length / baseline.durationSeconds),
    },
  });
  process.stdout.write(`${writeResults(report)}\n`);
}

async function main(): Promise<void> {
  const config = readConfig();
  const cleanup = new Cleanup();
  const interrupt = (signal: string) => {
    log(`${signal}: cleaning up`);
    void cleanup.runAll().then(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupt('SIGINT'));
  process.once('SIGTERM', () => interrupt('SIGTERM'));
  try {
    await run(config, cleanup);
  } finally {
    log('cleaning up');
    await cleanup.runAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

/**
 * The call benchmark (issues 6, 12): simulated live calls against the real API and worker, run as production
 * runs them (compiled JavaScript from `nest build`, started with plain node), the sandbox org adding 50 ms per
 * Salesforce request, and — in the same run — the same writes done without us (three sequential jsforce
 * creates). Reports per endpoint the client-side latency, the Salesforce time the API reports
 * (`Server-Timing: sf;dur=`) and our own time (the difference); round trips per critical write from the
 * sandbox's request log; throughput; CPU per call of the API, the worker and Postgres + Redis (from /proc) and
 * commits per call, for the saturated and the paced phase; peak RSS. Writes JSON + markdown to bench/results/
 * (and latest.md). Needs Postgres and Redis on 127.0.0.1 (as the tests do); creates and drops its own database.
 *
 *   npm run bench -- [--calls=2000] [--connections=100] [--latency=50] [--known-share=0.5]
 *                    [--warmup-calls=200] [--paced-calls=300] [--think-ms=1000] [--probe-calls=50] [--pool=100]
 *                    [--profile]
 *   (or BENCH_CALLS, BENCH_CONNECTIONS, BENCH_LATENCY_MS, BENCH_KNOWN_SHARE, BENCH_WARMUP_CALLS,
 *    BENCH_PACED_CALLS, BENCH_THINK_MS, BENCH_PROBE_CALLS, BENCH_SF_POOL_CONNECTIONS)
 *
 * Phases: warm-up (not measured); the saturating load (every connection sends its next request as soon as the
 * last is answered: on 2 cores this measures queueing for the CPU as much as our code); a paced load (as many calls in progress,
 * a think time between requests); a round-trip probe; the baseline.
 *
 * --profile: Postgres (with pg_stat_statements) and Redis of the run's own, CPU profiles of the API and the worker
 * over the saturated phase; writes bench/results/call-benchmark-<timestamp>-profile.md (see profiling.ts).
 * Its CPU figures include the profilers' cost; take CPU per call from a run without it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { baselineConnection, runBaseline } from './call-benchmark/baseline';
import {
  runCalls,
  type CallLoadOptions,
  type CallLoadResult,
  type RequestSample,
} from './call-benchmark/call-load';
import { runPacedCalls } from './call-benchmark/paced-calls';
import { requestJson } from './call-benchmark/http';
import { databaseActivity, type DatabaseActivity, vacuumAnalyze } from './call-benchmark/database-activity';
import {
  OWN_DATABASE_BACKENDS,
  POSTGRES_AND_REDIS,
  postgresAndRedisGroup,
  postgresBackendsOf,
  ProcessSampler,
  REPO_ROOT,
  type UsageReport,
} from './call-benchmark/processes';
import { finishProfiling, startProfiling, startProfilingServers } from './call-benchmark/profiling';
import {
  CRITICAL_INTENTS,
  provisionTenant,
  type CriticalIntent,
  type Tenant,
} from './call-benchmark/provision';
import {
  endpointFigures,
  markdown,
  targetChecks,
  type BenchmarkReport,
  type PhaseCost,
} from './call-benchmark/report';
import {
  compositeCount,
  countsSince,
  recordsOf,
  requestCounts,
  totalOf,
  waitForQuiet,
} from './call-benchmark/sandbox-control';
import type { SandboxInfo } from './call-benchmark/sandbox-process';
import {
  buildServer,
  Cleanup,
  PRODUCTION_RUNTIME,
  productionNode,
  log,
  runWithCleanup,
  startSandbox,
  startServices,
  type Services,
} from './call-benchmark/services';
import { distribution, round } from './call-benchmark/stats';

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
    profile: process.argv.includes('--profile'),
  };
}
type Config = ReturnType<typeof readConfig>;

const UNLOADED_BASELINE_WRITES = 200;
const UNLOADED_BASELINE_CONCURRENCY = 5;

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

/** The API, the worker, the sandbox and this process by pid; Postgres and Redis as groups. */
function samplerFor(services: Services, sandboxPid: number | undefined): ProcessSampler {
  return new ProcessSampler(
    [
      { name: 'api', pid: services.api.pid },
      { name: 'worker', pid: services.worker.pid },
      { name: 'sandbox org', pid: sandboxPid ?? -1 },
      { name: 'benchmark (load generator)', pid: process.pid },
    ],
    [postgresAndRedisGroup(), postgresBackendsOf(services.databaseName)],
  );
}

/** CPU per call of a phase, ms, and its commits and row changes per call. */
function phaseCost(
  usage: UsageReport,
  calls: number,
  before: DatabaseActivity,
  after: DatabaseActivity,
): PhaseCost {
  const perCall = (seconds: number) => round((1000 * seconds) / Math.max(1, calls), 2);
  const api = usage.byProcess.api?.cpuSeconds ?? 0;
  const worker = usage.byProcess.worker?.cpuSeconds ?? 0;
  const postgresAndRedis = usage.cpuSecondsByGroup[POSTGRES_AND_REDIS] ?? 0;
  return {
    calls,
    api: perCall(api),
    worker: perCall(worker),
    postgresAndRedis: perCall(postgresAndRedis),
    total: perCall(api + worker + postgresAndRedis),
    ownDatabaseBackends: perCall(usage.cpuSecondsByGroup[OWN_DATABASE_BACKENDS] ?? 0),
    sandbox: perCall(usage.byProcess['sandbox org']?.cpuSeconds ?? 0),
    commits: round((after.commits - before.commits) / Math.max(1, calls), 2),
    rowsChanged: round((after.rowsChanged - before.rowsChanged) / Math.max(1, calls), 2),
  };
}

/** The paced phase: our own time when the requests of the calls in progress come spread out. */
async function runPaced(
  config: Config,
  callLoad: Pick<CallLoadOptions, 'apiUrl' | 'agentKey' | 'knownCallerShare'>,
  runId: string,
  sandbox: { info: SandboxInfo; pid: number | undefined },
  services: Services,
  activityBefore: DatabaseActivity,
): Promise<NonNullable<BenchmarkReport['paced']>> {
  log(
    `paced: ${config.pacedCalls} calls, ${config.connections} in progress, ~${config.thinkMs} ms between requests`,
  );
  const sampler = samplerFor(services, sandbox.pid);
  sampler.start(200);
  const load = await runPacedCalls({
    ...callLoad,
    calls: config.pacedCalls,
    concurrency: config.connections,
    thinkMs: config.thinkMs,
    callIdPrefix: `${runId}-paced`,
  });
  await waitForQuiet(sandbox.info.instanceUrl, 2_000, 120_000);
  const usage = sampler.stop();
  const activityAfter = await databaseActivity(services.databaseUrl);
  return {
    requestsPerSecond: round(load.samples.length / load.durationSeconds),
    calls: load.calls,
    endpoints: {
      lookup: endpointFigures(load.samples, 'lookup'),
      intent: endpointFigures(load.samples, 'intent'),
      complete: endpointFigures(load.samples, 'complete'),
    },
    criticalWriteEndToEndMs: writtenIntentLatencies(load.samples),
    usage,
    cost: phaseCost(usage, load.calls, activityBefore, activityAfter),
  };
}

/** Client-side latency of the critical intents answered 200 (written during the call). */
function writtenIntentLatencies(samples: RequestSample[]) {
  return distribution(
    samples.filter((s) => s.endpoint === 'intent' && s.status === 200).map((s) => s.totalMs),
  );
}

function buildReport(
  config: Record<string, string | number>,
  startedAt: string,
  load: CallLoadResult,
  extra: Pick<
    BenchmarkReport,
    'roundTrips' | 'backgroundWrites' | 'records' | 'usage' | 'cost' | 'paced' | 'baseline'
  >,
): BenchmarkReport {
  const endpoints = {
    lookup: endpointFigures(load.samples, 'lookup'),
    intent: endpointFigures(load.samples, 'intent'),
    complete: endpointFigures(load.samples, 'complete'),
  };
  const ours = writtenIntentLatencies(load.samples);
  const theirs = extra.baseline.perWriteMs;
  const partial: Omit<BenchmarkReport, 'targets'> = {
    startedAt,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    config: { ...config, cpus: cpus().length },
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

function writeResults(report: BenchmarkReport, stamp: string): string {
  const directory = `${REPO_ROOT}/bench/results`;
  mkdirSync(directory, { recursive: true });
  const text = markdown(report);
  writeFileSync(`${directory}/call-benchmark-${stamp}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${directory}/call-benchmark-${stamp}.md`, text);
  writeFileSync(`${directory}/latest.md`, text);
  log(`wrote bench/results/call-benchmark-${stamp}.{json,md} and latest.md`);
  return text;
}

async function run(config: Config, cleanup: Cleanup): Promise<void> {
  const startedAt = new Date().toISOString();
  const stamp = startedAt.replace(/[:.]/g, '-');
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  log('nest build (the API and the worker run compiled, as in production)…');
  buildServer();
  // What production runs: its Node.js release too (the Dockerfile's), not only its compiled JavaScript.
  const node = productionNode();
  const production = { ...PRODUCTION_RUNTIME, nodeBinary: node.binary };
  const profiling = config.profile ? await startProfilingServers(production, cleanup) : undefined;
  log(`sandbox org (+${config.latencyMs} ms per request), API and worker…`);
  const { info: sandbox, child: sandboxChild } = await startSandbox(config, cleanup);
  const services = await startServices(config, runId, cleanup, profiling?.runtime ?? production);
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
  const maintenance = await vacuumAnalyze(services.databaseUrl);
  log(
    `VACUUM ANALYZE after the warm-up (the server's autovacuum is ${maintenance.autovacuum ? 'on' : 'off'})`,
  );

  const activityBeforeLoad = await databaseActivity(services.databaseUrl);
  log(`load: ${config.calls} calls, ${config.connections} concurrent`);
  const sampler = samplerFor(services, sandboxChild.pid);
  const countsBefore = await requestCounts(sandbox.instanceUrl);
  const profiled = [
    { name: 'api', pid: services.api.pid },
    { name: 'worker', pid: services.worker.pid },
  ];
  if (profiling)
    await startProfiling(
      services.databaseUrl,
      profiled.map((p) => p.pid),
    );
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
  if (profiling) {
    for (const child of [services.api, services.worker])
      if (child.exited) log(`${child.name} exited during the load:\n${child.output()}`);
    const file = await finishProfiling(
      services.databaseUrl,
      profiled,
      load.calls,
      profiling.directory,
      stamp,
    );
    log(`profile: ${file}`);
  }
  const activityAfterLoad = await databaseActivity(services.databaseUrl);
  const runCountsByPath = countsSince(countsBefore, await requestCounts(sandbox.instanceUrl));
  const serverErrors = load.samples.filter((sample) => sample.status >= 500).length;
  if (serverErrors > 0)
    log(`${serverErrors} answers were 5xx; the API's last lines:\n${services.api.output()}`);
  if (!drained)
    log('the sandbox never went quiet: background writes still running (figures below may be partial)');

  const paced =
    config.pacedCalls > 0
      ? await runPaced(
          config,
          callLoad,
          runId,
          { info: sandbox, pid: sandboxChild.pid },
          services,
          activityAfterLoad,
        )
      : undefined;
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
  // The paced phase's comparison: the same creates with the machine otherwise idle, a few at a time.
  const unloadedBaseline = await runBaseline(conn, UNLOADED_BASELINE_WRITES, UNLOADED_BASELINE_CONCURRENCY);

  const reportConfig = {
    ...config,
    profile: config.profile ? 'yes' : 'no',
    runtime: `compiled (dist/, plain node ${node.version}, the Dockerfile's release)`,
    workerConsumesWrites: services.workerConsumesWrites ? 'yes' : 'no',
  };
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
    cost: phaseCost(usage, load.calls, activityBeforeLoad, activityAfterLoad),
    paced,
    baseline: {
      writes: baseline.writes,
      failures: baseline.failures,
      firstFailure: baseline.firstFailure,
      perWriteMs: distribution(baseline.latenciesMs),
      writesPerSecond: round(baseline.latenciesMs.length / baseline.durationSeconds),
      unloaded: {
        writes: unloadedBaseline.writes,
        concurrency: UNLOADED_BASELINE_CONCURRENCY,
        perWriteMs: distribution(unloadedBaseline.latenciesMs),
      },
    },
  });
  process.stdout.write(`${writeResults(report, stamp)}\n`);
}

runWithCleanup((cleanup) => run(readConfig(), cleanup));

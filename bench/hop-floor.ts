import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { baselineConnection } from './call-benchmark/baseline';
import { runCalls, type RequestSample } from './call-benchmark/call-load';
import { runPacedCalls } from './call-benchmark/paced-calls';
import { vacuumAnalyze } from './call-benchmark/database-activity';
import {
  freePort,
  NodeChild,
  OWN_DATABASE_BACKENDS,
  POSTGRES_AND_REDIS,
  postgresAndRedisGroup,
  postgresBackendsOf,
  ProcessSampler,
  REPO_ROOT,
  waitUntilReady,
} from './call-benchmark/processes';
import { provisionTenant } from './call-benchmark/provision';
import { endpointFigures } from './call-benchmark/report';
import {
  LIMITS_LIFTED,
  log,
  PRODUCTION_RUNTIME,
  productionNode,
  redisUrl,
  runWithCleanup,
  startApi,
  startSandbox,
} from './call-benchmark/services';
import { round } from './call-benchmark/stats';

/**
 * The hop floor: what the connector's round trips cost on this machine with no framework around them.
 *
 *   npm run bench:floor -- [--calls=2000] [--connections=100] [--latency-ms=50] [--without=rate-limit,call-cache,queue]
 *
 * A stand-in API and worker (bench/hop-floor/) answer the call benchmark's routes with the connector's hops and
 * nothing else: Fastify without Nest, pg with prepared statements, ioredis, undici, Bull; the connector's own
 * move statement, audit journal and lookup requests; no validation, logging, metrics, mapping or jsforce. The same
 * load as `npm run bench`'s saturated phase (same sandbox org, same simulated calls) then says how much of a
 * call's CPU the hops themselves cost, against which the connector's figure and the issue's target can be read.
 * The real API runs only to create the database and provision the tenant, and is stopped before the load.
 * `--without=` leaves hops out to price them (floor-writes.ts, FloorHop). Writes bench/results/hop-floor-latest.md
 * (hop-floor-without-<hops>.md with `--without`).
 */

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split('=')[1]) : fallback;
}

const without = process.argv.find((a) => a.startsWith('--without='))?.split('=')[1] ?? '';

const config = {
  calls: option('calls', 2000),
  connections: option('connections', 100),
  latencyMs: option('latency-ms', 50),
  warmupCalls: option('warmup-calls', 200),
  pacedCalls: option('paced-calls', 300),
  thinkMs: 1000,
  knownCallerShare: 0.5,
};

/** Completions by status. */
async function completionStatuses(client: Client): Promise<Record<string, number>> {
  const { rows } = await client.query<{ status: string; count: string }>(
    `SELECT status, count(*) FROM writes WHERE kind = 'completion' GROUP BY status`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** How long the worker may take to finish what the load left; past it (or on a failed job) the run stops. */
const DRAIN_DEADLINE_MS = 120_000;

/**
 * Until no job waits in Bull and no completion is unfinished in Postgres (sent by the worker or the API); then
 * the completions by status. The floor does not retry, so a failed job (or a deadline passed) ends the run
 * instead of waiting for ever. One connection for the whole wait: a new one per poll would add backend
 * start-ups to the Postgres CPU being measured.
 */
async function drain(queue: Bull.Queue, databaseUrl: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const deadline = performance.now() + DRAIN_DEADLINE_MS;
  try {
    for (;;) {
      const counts = await queue.getJobCounts();
      const statuses = await completionStatuses(client);
      const unfinished = Object.keys(statuses).some((status) => status !== 'written');
      if (counts.waiting + counts.active + counts.delayed === 0 && !unfinished) return statuses;
      if (counts.failed > 0 || performance.now() > deadline)
        throw new Error(`completions not all written: ${JSON.stringify({ statuses, jobs: counts })}`);
      await sleep(100);
    }
  } finally {
    await client.end();
  }
}

function assertAllAnswered(result: { samples: RequestSample[]; errors?: number }, phase: string): void {
  const failed = result.samples.filter((sample) => sample.status >= 300);
  if (failed.length > 0 || (result.errors ?? 0) > 0)
    throw new Error(`${phase}: ${failed.length} failed answers, ${result.errors ?? 0} transport errors`);
}

/** One table row per endpoint: client-side total and own time (total − Salesforce), p50 / p99. */
function endpointRows(samples: RequestSample[]): string[] {
  return (['lookup', 'intent', 'complete'] as const).map((endpoint) => {
    const figures = endpointFigures(samples, endpoint);
    return `| ${endpoint} | ${figures.requests} | ${figures.totalMs.p50} / ${figures.totalMs.p99} | ${figures.ownMs.p50} / ${figures.ownMs.p99} |`;
  });
}

const ENDPOINT_HEADER = [
  '| endpoint | requests | total p50 / p99 (ms) | own (total − Salesforce) p50 / p99 (ms) |',
  '|---|---|---|---|',
];

runWithCleanup(async (cleanup) => {
  const node = productionNode();
  const runId = `floor_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  log(`sandbox org (+${config.latencyMs} ms per request)…`);
  const sandbox = await startSandbox({ latencyMs: config.latencyMs }, cleanup);
  log('the real API, to create the database and provision the tenant (stopped before the load)…');
  const real = await startApi(runId, cleanup, LIMITS_LIFTED);
  const tenant = await provisionTenant(real.apiUrl, real.operatorKey, sandbox.info);
  await real.api.stop();
  const databaseUrl = String(real.env.DATABASE_URL);
  const connection = await baselineConnection(sandbox.info);

  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: real.queuePrefix,
    FLOOR_TENANT_ID: tenant.tenantId,
    FLOOR_AGENT_KEY: tenant.agentKey,
    FLOOR_INSTANCE_URL: connection.instanceUrl,
    FLOOR_ACCESS_TOKEN: String(connection.accessToken),
    FLOOR_WITHOUT: without,
  };
  // The Node release and heap options production runs the connector with (npm run bench's runtime).
  const api = new NodeChild(
    'floor api',
    'bench/hop-floor/floor-api.ts',
    env,
    PRODUCTION_RUNTIME.apiNodeArgs,
    node.binary,
  );
  cleanup.add('stop floor api', () => api.stop());
  const worker = new NodeChild('floor worker', 'bench/hop-floor/floor-worker.ts', env, [], node.binary);
  cleanup.add('stop floor worker', () => worker.stop());
  const apiUrl = `http://127.0.0.1:${port}`;
  // Both at once: a line printed before its listener is registered is not seen.
  await Promise.all([
    worker.waitForLine((line) => line.startsWith('FLOOR_WORKER_READY'), 60_000),
    waitUntilReady(`${apiUrl}/health/ready`, api, 60_000),
  ]);
  const queue = new Bull('floor-writes', redisUrl(), { prefix: real.queuePrefix });
  cleanup.add('close queue', () => queue.close());

  const load = (calls: number, phase: string) =>
    runCalls({
      apiUrl,
      agentKey: tenant.agentKey,
      calls,
      connections: config.connections,
      knownCallerShare: config.knownCallerShare,
      callIdPrefix: `${runId}-${phase}`,
    });
  log(`warm-up: ${config.warmupCalls} calls`);
  assertAllAnswered(await load(config.warmupCalls, 'warmup'), 'warm-up');
  await drain(queue, databaseUrl);
  await vacuumAnalyze(databaseUrl);

  log(`load: ${config.calls} calls, ${config.connections} concurrent`);
  const sampler = new ProcessSampler(
    [
      { name: 'api', pid: api.pid },
      { name: 'worker', pid: worker.pid },
      { name: 'sandbox org', pid: sandbox.child.pid },
      { name: 'benchmark (load generator)', pid: process.pid },
    ],
    [postgresAndRedisGroup(), postgresBackendsOf(real.databaseName)],
  );
  sampler.start();
  const result = await load(config.calls, 'load');
  await drain(queue, databaseUrl);
  const usage = sampler.stop();
  assertAllAnswered(result, 'load');

  log(
    `paced: ${config.pacedCalls} calls, ${config.connections} in progress, ~${config.thinkMs} ms between requests`,
  );
  const pacedSampler = new ProcessSampler(
    [
      { name: 'api', pid: api.pid },
      { name: 'worker', pid: worker.pid },
    ],
    [postgresAndRedisGroup()],
  );
  pacedSampler.start();
  const paced = await runPacedCalls({
    apiUrl,
    agentKey: tenant.agentKey,
    calls: config.pacedCalls,
    concurrency: config.connections,
    thinkMs: config.thinkMs,
    knownCallerShare: config.knownCallerShare,
    callIdPrefix: `${runId}-paced`,
  });
  const completions = await drain(queue, databaseUrl);
  const pacedUsage = pacedSampler.stop();
  assertAllAnswered(paced, 'paced');

  const perCall = (seconds: number) => round((seconds * 1000) / result.calls, 1);
  const cpu = (name: string) => perCall(usage.byProcess[name].cpuSeconds);
  const api_ = cpu('api');
  const worker_ = cpu('worker');
  const pgRedis = perCall(usage.cpuSecondsByGroup[POSTGRES_AND_REDIS]);
  const total = round(api_ + worker_ + pgRedis, 1);
  const sandboxCpu = cpu('sandbox org');
  const pacedPerCall = (seconds: number) => round((seconds * 1000) / paced.calls, 1);
  const pacedApi = pacedPerCall(pacedUsage.byProcess.api.cpuSeconds);
  const pacedWorker = pacedPerCall(pacedUsage.byProcess.worker.cpuSeconds);
  const pacedPgRedis = pacedPerCall(pacedUsage.cpuSecondsByGroup[POSTGRES_AND_REDIS]);
  const report = [
    `# Hop floor, ${new Date().toISOString()}`,
    '',
    `\`npm run bench:floor\` — calls=${config.calls}, connections=${config.connections}, latencyMs=${config.latencyMs}, ` +
      `warmupCalls=${config.warmupCalls}, knownCallerShare=${config.knownCallerShare}, without=${without || 'nothing'}; stand-in API and worker ` +
      `(bench/hop-floor/, ts-node transpile-only on node ${node.version}), same sandbox org and simulated calls as \`npm run bench\`.`,
    '',
    `Throughput: ${round(result.calls / result.durationSeconds, 1)} calls/s (${result.calls} calls in ${round(result.durationSeconds, 1)} s). ` +
      `Completions in Postgres after the drain: ${JSON.stringify(completions)}.`,
    '',
    '## Saturating load',
    '',
    ...ENDPOINT_HEADER,
    ...endpointRows(result.samples),
    '',
    '### CPU per call, load + drain (ms, utime + stime from /proc)',
    '',
    '| API | worker | Postgres + Redis (all their processes) | total | own database backends | sandbox org (yardstick) | total ÷ sandbox | load generator |',
    '|---|---|---|---|---|---|---|---|',
    `| ${api_} | ${worker_} | ${pgRedis} | **${total}** | ${perCall(usage.cpuSecondsByGroup[OWN_DATABASE_BACKENDS])} | ${sandboxCpu} | ${round(total / sandboxCpu, 1)} | ${cpu('benchmark (load generator)')} |`,
    '',
    `Machine: ${round(usage.machineBusyCpuSeconds, 1)} CPU s busy of ${round(usage.wallSeconds * cpus().length, 1)} available over ${round(usage.wallSeconds, 1)} s.`,
    '',
    `## Paced: ${paced.calls} calls, ${Math.min(config.connections, paced.calls)} in progress, a think time of ${config.thinkMs} ms (0.5–1.5×) between requests`,
    '',
    ...ENDPOINT_HEADER,
    ...endpointRows(paced.samples),
    '',
    `CPU per call (ms): API ${pacedApi}, worker ${pacedWorker}, Postgres + Redis ${pacedPgRedis}, total **${round(pacedApi + pacedWorker + pacedPgRedis, 1)}**.`,
    '',
    "Not in the floor: audit chaining (the connector's worker moves journal entries into the hash chains), " +
      "the worker's call-cache read (the lookup's matches, for the Task's WhoId), " +
      'validation, planning, logging, metrics, jsforce, idempotency keys and every failure path.',
    '',
  ].join('\n');
  const file = without ? `hop-floor-without-${without.replaceAll(',', '-')}.md` : 'hop-floor-latest.md';
  writeFileSync(`${REPO_ROOT}/bench/results/${file}`, report);
  process.stdout.write(report);
});

import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase } from '../src/database/ensure-database';
import { freePort, NodeChild, REPO_ROOT, waitUntilReady } from './call-benchmark/processes';
import { provisionTenant } from './call-benchmark/provision';
import { SANDBOX_READY_PREFIX, type SandboxInfo } from './call-benchmark/sandbox-process';

/**
 * One tenant floods, another makes ordinary paced requests: does the flood raise the quiet tenant's latency?
 * The API and the sandbox org (50 ms latency) run as processes of their own on the real Postgres and Redis;
 * both tenants are connected to the sandbox org and send caller lookups (`GET /v1/lookup`, agent key: one
 * Salesforce round trip each, the live-call path). Three phases:
 *   quiet  - tenant B alone, paced at `rate` requests/s;
 *   flood  - the same while tenant A sends `flood` requests/s, API with the default per-key limits;
 *   flood, tight limits - the same with an agent limit of `limit` requests/s and `inflight` requests in
 *     progress per key;
 *   flood, limits lifted - the same against an API whose per-key limits are out of reach.
 * Prints a markdown table (B's p50/p99 and statuses, A's statuses) and writes bench/results/tenant-isolation.md.
 *
 *   npm run bench:isolation [-- seconds=10 rate=20 flood=1000 limit=30 inflight=8]
 */

const POSTGRES_SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const STARTUP_TIMEOUT_MS = 120_000;

const argument = (name: string, fallback: number) => {
  const given = process.argv.find((arg) => arg.startsWith(`${name}=`))?.split('=')[1];
  const value = Number(given ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const SECONDS = argument('seconds', 10);
const QUIET_RATE = argument('rate', 20);
const FLOOD_RATE = argument('flood', 1000);
const TIGHT_LIMIT = argument('limit', 30);
const TIGHT_IN_FLIGHT = argument('inflight', 8);
const FLOOD_CONNECTIONS = 100;
const SANDBOX_LATENCY_MS = 50;
/** The API inherits this environment; a run may set LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS to try other thresholds. */
const SHED_DELAY_MS = process.env.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS ?? '200 (default)';
const SHED_IN_FLIGHT = process.env.LOAD_SHED_MAX_IN_FLIGHT ?? '512 (default)';

interface Phase {
  name: string;
  quiet: autocannon.Result;
  flood?: autocannon.Result;
}

const log = (message: string) => process.stderr.write(`[isolation] ${message}\n`);

async function startApi(extraEnv: Record<string, string>) {
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = `${POSTGRES_SERVER}/aicall_bench_isolation_${runId}`;
  const queuePrefix = `bench_isolation_${runId}`;
  const operatorKey = `bench-operator-${randomBytes(24).toString('hex')}`;
  const port = await freePort();
  const api = new NodeChild('api', 'src/main.ts', {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    OPERATOR_API_KEY: operatorKey,
    ...extraEnv,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await api.stop();
    await dropDatabase(databaseUrl);
    await removeKeys(queuePrefix);
  };
  try {
    await waitUntilReady(`${url}/health/ready`, api, STARTUP_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, operatorKey, stop };
}

/** Removes every Redis key of the run (queues, rate-limit counters) by its prefix. */
async function removeKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    // SCAN until the cursor returns to 0; the bound only guards against a broken server.
    for (let page = 0; page < 100_000; page++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

async function startSandbox(): Promise<{ info: SandboxInfo; stop: () => Promise<void> }> {
  const child = new NodeChild('sandbox', 'bench/call-benchmark/sandbox-process.ts', {
    ...process.env,
    BENCH_SANDBOX_LATENCY_MS: String(SANDBOX_LATENCY_MS),
  });
  const line = await child.waitForLine((l) => l.startsWith(SANDBOX_READY_PREFIX), STARTUP_TIMEOUT_MS);
  return {
    info: JSON.parse(line.slice(SANDBOX_READY_PREFIX.length)) as SandboxInfo,
    stop: () => child.stop(),
  };
}

/** Lookups of a number no record has: each one asks Salesforce (no call id, so no per-call cache). */
const load = (url: string, key: string, options: Partial<autocannon.Options>) =>
  autocannon({
    url: `${url}/v1/lookup?phone=${encodeURIComponent('+16285550100')}`,
    headers: { authorization: `Bearer ${key}` },
    duration: SECONDS,
    ...options,
  });

async function runPhases(
  sandbox: SandboxInfo,
  name: string,
  env: Record<string, string>,
  withQuietPhase: boolean,
): Promise<Phase[]> {
  log(`starting the API (${name})`);
  const api = await startApi(env);
  try {
    const quietKey = (await provisionTenant(api.url, api.operatorKey, sandbox)).agentKey;
    const floodKey = (await provisionTenant(api.url, api.operatorKey, sandbox)).agentKey;
    const paced = { connections: 4, overallRate: QUIET_RATE };
    // Warm-up: first connections, prepared statements, JIT.
    await load(api.url, quietKey, { ...paced, duration: 2 });
    const phases: Phase[] = [];
    if (withQuietPhase) {
      log('tenant B alone');
      phases.push({ name: 'quiet (B alone)', quiet: await load(api.url, quietKey, paced) });
    }
    log(`tenant B while tenant A floods (${name})`);
    const [quiet, flood] = await Promise.all([
      load(api.url, quietKey, paced),
      load(api.url, floodKey, { connections: FLOOD_CONNECTIONS, overallRate: FLOOD_RATE }),
    ]);
    phases.push({ name: `B while A floods, ${name}`, quiet, flood });
    return phases;
  } finally {
    await api.stop();
  }
}

const statuses = (result: autocannon.Result) =>
  Object.entries(result.statusCodeStats ?? {})
    .map(([code, stats]) => `${code}: ${stats.count ?? 0}`)
    .join(', ') || 'none';

function markdown(phases: Phase[]): string {
  const rows = phases.map(
    (p) =>
      `| ${p.name} | ${p.quiet.latency.p50} | ${p.quiet.latency.p99} | ${p.quiet.latency.max} | ${statuses(p.quiet)} | ${
        p.flood ? `${Math.round(p.flood.requests.average)} req/s; ${statuses(p.flood)}` : '-'
      } |`,
  );
  return [
    `# Tenant isolation, ${new Date().toISOString()}`,
    '',
    `\`npm run bench:isolation -- seconds=${SECONDS} rate=${QUIET_RATE} flood=${FLOOD_RATE} limit=${TIGHT_LIMIT} inflight=${TIGHT_IN_FLIGHT}\`: ` +
      `tenant B sends ` +
      `${QUIET_RATE} lookups/s (GET /v1/lookup, agent key, one Salesforce round trip each, sandbox latency ` +
      `${SANDBOX_LATENCY_MS} ms); tenant A sends ${FLOOD_RATE} lookups/s over ${FLOOD_CONNECTIONS} connections. ` +
      `API, sandbox org and load generator are separate processes on this machine (${cpus().length} cores); ` +
      `load shedding at a mean event-loop delay of ${SHED_DELAY_MS} ms or ${SHED_IN_FLIGHT} requests in flight.`,
    '',
    '| phase | B p50 (ms) | B p99 (ms) | B max (ms) | B statuses | A (flood) |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  log('starting the sandbox org');
  const sandbox = await startSandbox();
  const phases: Phase[] = [];
  try {
    phases.push(...(await runPhases(sandbox.info, 'default per-key limits', {}, true)));
    const tight = {
      RATE_LIMIT_WINDOW_SECONDS: '1',
      RATE_LIMIT_AGENT_REQUESTS: String(TIGHT_LIMIT),
      RATE_LIMIT_MAX_IN_FLIGHT_PER_KEY: String(TIGHT_IN_FLIGHT),
    };
    const tightName = `agent limit ${TIGHT_LIMIT}/s and ${TIGHT_IN_FLIGHT} in flight per key`;
    phases.push(...(await runPhases(sandbox.info, tightName, tight, false)));
    const lifted = { RATE_LIMIT_AGENT_REQUESTS: '1000000000', RATE_LIMIT_MAX_IN_FLIGHT_PER_KEY: '0' };
    phases.push(...(await runPhases(sandbox.info, 'limits lifted', lifted, false)));
  } finally {
    await sandbox.stop();
  }
  const report = markdown(phases);
  process.stdout.write(`${report}\n`);
  mkdirSync(`${REPO_ROOT}/bench/results`, { recursive: true });
  writeFileSync(`${REPO_ROOT}/bench/results/tenant-isolation.md`, report);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

import autocannon from 'autocannon';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase } from '../src/database/ensure-database';
import { requestJson, stringField } from './call-benchmark/http';
import { freePort, NodeChild, REPO_ROOT, waitUntilReady } from './call-benchmark/processes';

/**
 * One tenant floods, another makes ordinary paced requests: does the flood raise the quiet tenant's latency?
 * Runs the API as its own process (real Postgres and Redis) three times over the same route
 * (`GET /v1/writes/{id}`, agent key: authentication, the Redis rate limiter and a Postgres read):
 *   quiet  - tenant B alone, paced;
 *   flood  - the same while tenant A's agent key floods with FLOOD_CONNECTIONS connections, default limits;
 *   flood, limits lifted - the same flood against an API whose per-key limits are out of reach.
 * Prints a markdown table (B's p50/p99 and statuses, A's statuses) and writes bench/results/tenant-isolation.md.
 *
 *   npm run bench:isolation [-- seconds=10 rate=50 flood=64]
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
const QUIET_RATE = argument('rate', 50);
const FLOOD_CONNECTIONS = argument('flood', 64);

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

async function agentKeyOfNewTenant(url: string, operatorKey: string): Promise<string> {
  const tenant = await requestJson('POST', `${url}/v1/tenants`, {
    token: operatorKey,
    body: { name: `Isolation ${randomUUID()}`, region: 'us' },
    expect: 201,
  });
  const key = await requestJson('POST', `${url}/v1/tenants/${stringField(tenant.body, 'id')}/api-keys`, {
    token: operatorKey,
    body: { role: 'agent' },
    expect: 201,
  });
  return stringField(key.body, 'key');
}

const load = (url: string, key: string, options: Partial<autocannon.Options>) =>
  autocannon({
    url: `${url}/v1/writes/${randomUUID()}`,
    headers: { authorization: `Bearer ${key}` },
    duration: SECONDS,
    ...options,
  });

async function runPhases(
  name: string,
  env: Record<string, string>,
  withQuietPhase: boolean,
): Promise<Phase[]> {
  log(`starting the API (${name})`);
  const api = await startApi(env);
  try {
    const quietKey = await agentKeyOfNewTenant(api.url, api.operatorKey);
    const floodKey = await agentKeyOfNewTenant(api.url, api.operatorKey);
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
      load(api.url, floodKey, { connections: FLOOD_CONNECTIONS }),
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
    `\`npm run bench:isolation -- seconds=${SECONDS} rate=${QUIET_RATE} flood=${FLOOD_CONNECTIONS}\`: tenant B sends ` +
      `${QUIET_RATE} requests/s (GET /v1/writes/{id}, agent key); tenant A floods the same route with ` +
      `${FLOOD_CONNECTIONS} connections, no pause. API in its own process, NODE_ENV=development (shedding on).`,
    '',
    '| phase | B p50 (ms) | B p99 (ms) | B max (ms) | B statuses | A (flood) |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const phases = [
    ...(await runPhases('default per-key limits', {}, true)),
    ...(await runPhases('limits lifted', { RATE_LIMIT_AGENT_REQUESTS: '1000000000' }, false)),
  ];
  const report = markdown(phases);
  process.stdout.write(`${report}\n`);
  mkdirSync(`${REPO_ROOT}/bench/results`, { recursive: true });
  writeFileSync(`${REPO_ROOT}/bench/results/tenant-isolation.md`, report);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

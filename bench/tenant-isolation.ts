import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { REPO_ROOT } from './call-benchmark/processes';
import { provisionTenant } from './call-benchmark/provision';
import type { SandboxInfo } from './call-benchmark/sandbox-process';
import { Cleanup, LIMITS_LIFTED, startApi, startSandbox } from './call-benchmark/services';

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
  // Each phase its own API process, database and queue prefix, removed when the phase ends.
  const cleanup = new Cleanup();
  try {
    const runId = `isolation_${process.pid}_${randomBytes(3).toString('hex')}`;
    const { apiUrl, operatorKey } = await startApi(runId, cleanup, env);
    const quietKey = (await provisionTenant(apiUrl, operatorKey, sandbox)).agentKey;
    const floodKey = (await provisionTenant(apiUrl, operatorKey, sandbox)).agentKey;
    const paced = { connections: 4, overallRate: QUIET_RATE };
    // Warm-up: first connections, prepared statements, JIT.
    await load(apiUrl, quietKey, { ...paced, duration: 2 });
    const phases: Phase[] = [];
    if (withQuietPhase) {
      log('tenant B alone');
      phases.push({ name: 'quiet (B alone)', quiet: await load(apiUrl, quietKey, paced) });
    }
    log(`tenant B while tenant A floods (${name})`);
    const [quiet, flood] = await Promise.all([
      load(apiUrl, quietKey, paced),
      load(apiUrl, floodKey, { connections: FLOOD_CONNECTIONS, overallRate: FLOOD_RATE }),
    ]);
    phases.push({ name: `B while A floods, ${name}`, quiet, flood });
    return phases;
  } finally {
    await cleanup.runAll();
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
  const sandboxCleanup = new Cleanup();
  const sandbox = await startSandbox({ latencyMs: SANDBOX_LATENCY_MS }, sandboxCleanup);
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
    phases.push(...(await runPhases(sandbox.info, 'limits lifted', LIMITS_LIFTED, false)));
  } finally {
    await sandboxCleanup.runAll();
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

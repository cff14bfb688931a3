/**
 * `npm run bench -- --profile`: where the CPU of a call goes. Postgres and Redis are servers of the run's own
 * (the shared ones on 5432 / 6379 are left alone): a disposable cluster with pg_stat_statements, and a
 * redis-server without persistence. The API and the worker preload cpu-profiler.ts, which the benchmark
 * signals around the saturated phase. The summary goes to bench/results/call-benchmark-<timestamp>-profile.md
 * (not committed; bench/results/profile.md holds the findings), the .cpuprofile files (open them in Chrome
 * DevTools) to a temporary directory.
 */
import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { startDisposablePostgres } from '../../test/chaos/support/disposable-postgres';
import { summariseCpuProfile, type SelfTime } from './cpu-profile-summary';
import { freePort, REPO_ROOT } from './processes';
import type { Cleanup, Runtime } from './services';
import { round } from './stats';

export interface ProfilingServers {
  directory: string;
  runtime: Runtime;
}

/** Starts the run's own Postgres and Redis, points the benchmark at them (env) and names the profile directory. */
export async function startProfilingServers(runtime: Runtime, cleanup: Cleanup): Promise<ProfilingServers> {
  const postgres = await startDisposablePostgres({ shared_preload_libraries: 'pg_stat_statements' });
  cleanup.add('remove profiling postgres', () => postgres.destroy());
  process.env.BENCH_POSTGRES_URL = postgres.url('').replace(/\/$/, '');

  const redisPort = await freePort();
  const redis = spawn('redis-server', ['--port', String(redisPort), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  cleanup.add('stop profiling redis', async () => {
    redis.kill('SIGTERM');
    await sleep(200);
  });
  process.env.REDIS_URL = `redis://127.0.0.1:${redisPort}`;
  await sleep(300); // redis-server listens within milliseconds

  const directory = mkdtempSync(join(tmpdir(), 'aicall-cpu-profiles-'));
  process.env.BENCH_CPU_PROFILE_DIR = directory;
  const preload = ['-r', 'ts-node/register/transpile-only', '-r', './bench/call-benchmark/cpu-profiler.ts'];
  return { directory, runtime: { ...runtime, nodeArgs: preload } };
}

/** Before the measured phase: statement and command counters to zero, the profilers started. */
export async function startProfiling(databaseUrl: string, pids: number[]): Promise<void> {
  await withPostgres(databaseUrl, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
  });
  await withRedis((redis) => redis.config('RESETSTAT'));
  for (const pid of pids) process.kill(pid, 'SIGWINCH');
}

interface Statement {
  query: string;
  calls: number;
  rows: number;
  totalMs: number;
}

/** After it: the profilers stopped (files written), statements and commands per call read. */
export async function finishProfiling(
  databaseUrl: string,
  processes: Array<{ name: string; pid: number }>,
  calls: number,
  directory: string,
  stamp: string,
): Promise<string> {
  for (const { name, pid } of processes) {
    try {
      process.kill(pid, 'SIGWINCH');
    } catch (error) {
      throw new Error(
        `${name} (pid ${pid}) is gone: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const statements = await withPostgres(databaseUrl, async (client) => {
    const { rows } = await client.query<{ query: string; calls: string; rows: string; total_ms: string }>(
      `SELECT query, calls, rows, total_exec_time AS total_ms FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY calls DESC`,
    );
    return rows.map((row) => ({
      query: row.query.replace(/\s+/g, ' '),
      calls: Number(row.calls),
      rows: Number(row.rows),
      totalMs: Number(row.total_ms),
    }));
  });
  const commands = await withRedis(async (redis) => parseCommandStats(await redis.info('commandstats')));
  await sleep(2_000); // the profilers write their files
  const lines = [
    `# Profile of the saturated phase, ${stamp}`,
    '',
    `${calls} calls. Postgres: a disposable cluster (fsync off) with pg_stat_statements; Redis of the run's own.`,
    '',
    ...statementSection(statements, calls),
    ...commandSection(commands, calls),
    ...processes.flatMap(({ name, pid }) => cpuSection(name, `${directory}/${pid}.cpuprofile`)),
  ];
  const file = `${REPO_ROOT}/bench/results/call-benchmark-${stamp}-profile.md`;
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function statementSection(statements: Statement[], calls: number): string[] {
  const total = statements.reduce((sum, s) => sum + s.calls, 0);
  const perCall = (n: number) => round(n / calls, 2);
  const commits = statements
    .filter((s) => /^(COMMIT|END)\b/i.test(s.query))
    .reduce((sum, s) => sum + s.calls, 0);
  return [
    `## Postgres statements: ${perCall(total)} per call (explicit COMMITs ${perCall(commits)} per call; ` +
      'a statement outside a transaction commits on its own)',
    '',
    '| per call | rows per call | total exec ms | statement |',
    '|---|---|---|---|',
    ...statements
      .slice(0, 30)
      .map(
        (s) =>
          `| ${perCall(s.calls)} | ${perCall(s.rows)} | ${round(s.totalMs)} | \`${s.query.slice(0, 160).replace(/\|/g, '\\|')}\` |`,
      ),
    '',
  ];
}

function parseCommandStats(info: string): Array<{ command: string; calls: number }> {
  return [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)]
    .map(([, command, calls]) => ({ command, calls: Number(calls) }))
    .sort((a, b) => b.calls - a.calls);
}

function commandSection(commands: Array<{ command: string; calls: number }>, calls: number): string[] {
  const total = commands.reduce((sum, c) => sum + c.calls, 0);
  return [
    `## Redis commands: ${round(total / calls, 2)} per call`,
    '',
    commands.map((c) => `${c.command} ${round(c.calls / calls, 2)}`).join(', '),
    '',
  ];
}

function cpuSection(name: string, file: string): string[] {
  let summary;
  try {
    summary = summariseCpuProfile(file);
  } catch (error) {
    return [`## ${name}: no profile (${error instanceof Error ? error.message : String(error)})`, ''];
  }
  const table = (rows: SelfTime[]) => [
    '| self ms | % | |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.ms} | ${row.share} | \`${row.name}\` |`),
  ];
  return [
    `## ${name}: ${summary.totalMs} ms of samples (idle excluded)`,
    '',
    `Profile: ${file} (Chrome DevTools → Performance → Load profile).`,
    '',
    'By place:',
    '',
    ...table(summary.places),
    '',
    'By function (self time):',
    '',
    ...table(summary.functions),
    '',
  ];
}

async function withPostgres<T>(databaseUrl: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function withRedis<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

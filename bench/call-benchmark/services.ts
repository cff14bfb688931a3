/**
 * The processes of a benchmark run, shared by the call benchmark and the soak: the sandbox org, the API and the
 * worker as child processes on a database and queue prefix of the run's own, and the clean-up that removes them.
 */
import Queue from 'bull';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropDatabase, ensureDatabaseExists } from '../../src/database/ensure-database';
import { ALL_QUEUES, QueueName } from '../../src/modules/queue/queue-names';
import { NodeChild, REPO_ROOT, freePort, waitUntilReady } from './processes';
import { SANDBOX_READY_PREFIX, type SandboxInfo } from './sandbox-process';

// Read when used, not at import: the profiling run points them at servers of its own first.
const postgresServer = () => process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const redisUrl = () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const STARTUP_TIMEOUT_MS = 120_000;

/** How the API and the worker run: entry points, node options, and environment over the run's own. */
export interface Runtime {
  api: string;
  worker: string;
  nodeArgs?: string[];
  /** Node options of the API alone, after `nodeArgs`. */
  apiNodeArgs?: string[];
  /** The node binary of the API and the worker (this process's own when unset). */
  nodeBinary?: string;
  env?: Record<string, string>;
}

/** TypeScript through ts-node in development mode: no build needed (the soak and the isolation benchmark). */
export const DEVELOPMENT_RUNTIME: Runtime = {
  api: 'src/main.ts',
  worker: 'src/worker.ts',
  env: { NODE_ENV: 'development', LOG_LEVEL: 'warn' },
};

/**
 * What production runs (`npm run start:api` / `start:worker`, deploy/k8s/config.yaml): the output of
 * `nest build`, NODE_ENV=production, a log line per request (LOG_LEVEL=info, JSON to stdout). What production
 * needs besides is given: migrations run at start (the database is new), a real encryption key, the loopback
 * sandbox org allowed as a login host.
 */
export const PRODUCTION_RUNTIME: Runtime = {
  api: 'dist/src/main.js',
  worker: 'dist/src/worker.js',
  apiNodeArgs: nodeOptionsOf('start:api'),
  env: {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    DB_MIGRATIONS_RUN: 'true',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SALESFORCE_LOGIN_HOSTS_ALLOWED: '127.0.0.1,localhost',
  },
};

/**
 * The Node.js production runs: the major version of the Dockerfile's `FROM node:NN`, this process's own node if
 * it is that major, else that release from the npm registry's `node` package (as `.ci/run` gets it). Falls back
 * to this process's node, saying so, when the registry cannot be reached.
 */
export function productionNode(): { binary: string; version: string } {
  const own = { binary: process.execPath, version: process.version };
  const major = /^FROM node:(\d+)/m.exec(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'))?.[1];
  if (!major || process.version.startsWith(`v${major}.`)) return own;
  const fetched = spawnSync(
    'npx',
    ['-y', `node@${major}`, '-p', 'process.execPath + " " + process.version'],
    {
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  const [binary, version] = fetched.status === 0 ? fetched.stdout.trim().split(' ') : [];
  if (binary && version) return { binary, version };
  log(`could not get Node ${major} from the npm registry; the API and the worker run on ${process.version}`);
  return own;
}

/** The node options (`--…`) an npm script of package.json starts node with: production's, in one place. */
function nodeOptionsOf(script: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return scripts[script].split(/\s+/).filter((word) => word.startsWith('--'));
}

/** `nest build` into dist/, as `npm run build` does for the server (the console and API types are not needed). */
export function buildServer(): void {
  const result = spawnSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`nest build failed\n${result.stdout}${result.stderr}`);
}

/** Clean-up steps, run last-registered first, each at most once, whatever failed before. */
export class Cleanup {
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

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

export async function startSandbox(
  config: { latencyMs: number },
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
export async function removeRedisKeys(prefix: string): Promise<void> {
  for (const name of ALL_QUEUES) {
    const queue = new Queue(name, redisUrl(), { prefix });
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
  const queue = new Queue(QueueName.SalesforceWrites, redisUrl(), { prefix });
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

export interface Services {
  apiUrl: string;
  operatorKey: string;
  api: NodeChild;
  worker: NodeChild;
  workerConsumesWrites: boolean;
  /** The run's own database (its backends are this run's share of the Postgres CPU). */
  databaseName: string;
  databaseUrl: string;
}

/** Lifts the per-key limits: one agent key carries every simulated call, and a capacity benchmark must not meet them. */
export const LIMITS_LIFTED = {
  RATE_LIMIT_AGENT_REQUESTS: '1000000000',
  RATE_LIMIT_MAX_IN_FLIGHT_PER_KEY: '0',
};

export interface ApiProcess {
  apiUrl: string;
  operatorKey: string;
  api: NodeChild;
  /** The environment the API runs with (a worker of the same run takes it as is). */
  env: NodeJS.ProcessEnv;
  queuePrefix: string;
  databaseName: string;
}

/** The API as a child process on a database and queue prefix of the run's own, removed by `cleanup`. */
export async function startApi(
  runId: string,
  cleanup: Cleanup,
  extraEnv: Record<string, string> = {},
  runtime: Runtime = DEVELOPMENT_RUNTIME,
): Promise<ApiProcess> {
  const databaseName = `aicall_bench_${runId}`;
  const databaseUrl = `${postgresServer()}/${databaseName}`;
  const queuePrefix = `bench_${runId}`;
  const operatorKey = `bench-operator-${randomBytes(24).toString('hex')}`;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...runtime.env,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: queuePrefix,
    OPERATOR_API_KEY: operatorKey,
    ...extraEnv,
  };
  // Registered first so they run last, after the processes have stopped.
  cleanup.add('drop database', () => dropDatabase(databaseUrl));
  cleanup.add('remove redis keys', () => removeRedisKeys(queuePrefix));
  // In production the API does not create its database (an operator's job); here the run does.
  await ensureDatabaseExists(databaseUrl, true);
  const apiUrl = `http://127.0.0.1:${port}`;
  const api = new NodeChild(
    'api',
    runtime.api,
    env,
    [...(runtime.nodeArgs ?? []), ...(runtime.apiNodeArgs ?? [])],
    runtime.nodeBinary,
  );
  cleanup.add('stop api', () => api.stop());
  await waitUntilReady(`${apiUrl}/health/ready`, api, STARTUP_TIMEOUT_MS);
  return { apiUrl, operatorKey, api, env, queuePrefix, databaseName };
}

export async function startServices(
  config: { poolConnections: number },
  runId: string,
  cleanup: Cleanup,
  runtime: Runtime = DEVELOPMENT_RUNTIME,
): Promise<Services> {
  // The API first: it creates and migrates the database; the worker then finds it ready.
  const { apiUrl, operatorKey, api, env, queuePrefix, databaseName } = await startApi(
    runId,
    cleanup,
    { SALESFORCE_POOL_CONNECTIONS: String(config.poolConnections), ...LIMITS_LIFTED },
    runtime,
  );
  const worker = new NodeChild('worker', runtime.worker, env, runtime.nodeArgs, runtime.nodeBinary);
  cleanup.add('stop worker', () => worker.stop());
  const workerConsumesWrites = await waitForQueueConsumer(queuePrefix, worker);
  const databaseUrl = String(env.DATABASE_URL);
  return { apiUrl, operatorKey, api, worker, workerConsumesWrites, databaseName, databaseUrl };
}

/**
 * Runs a benchmark with its clean-up: on success, failure or Ctrl-C the processes, database and queues it
 * registered are removed; exits 0, 1 (the error printed) or 130.
 */
export function runWithCleanup(run: (cleanup: Cleanup) => Promise<void>): void {
  const cleanup = new Cleanup();
  const interrupt = (signal: string) => {
    log(`${signal}: cleaning up`);
    void cleanup.runAll().then(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupt('SIGINT'));
  process.once('SIGTERM', () => interrupt('SIGTERM'));
  run(cleanup)
    .finally(() => {
      log('cleaning up');
      return cleanup.runAll();
    })
    .then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
}

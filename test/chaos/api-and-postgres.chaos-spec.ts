import Queue from 'bull';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import request from 'supertest';
import { NodeChild, freePort, waitUntilReady } from '../../bench/call-benchmark/processes';
import { provisionTenant, type Tenant } from '../../bench/call-benchmark/provision';
import { startSandboxOrg, type SandboxOrg } from '../../sandbox-org';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { QueueName } from '../../src/modules/queue/queue-names';
import { eventually } from '../support/eventually';
import { TEST_OPERATOR_KEY, bearer } from '../support/test-app';
import { ChaosTable, expectNothingLost, settle, type ChaosTarget } from './support/chaos-figures';
import { startDisposablePostgres, type DisposablePostgres } from './support/disposable-postgres';

/** A caller per call: the org's duplicate rules would otherwise turn concurrent first writes into one record. */
const callerOf = (callId: string) => ({
  phone: '+16505550143',
  firstName: 'Ada',
  lastName: `Abrupt ${callId}`,
  company: `Outage ${callId}`,
});
const DEADLINE_MS = 5000;
const STARTUP_MS = 120_000;

type Answer = { callId: string; status: number | 'no answer'; ms: number; writeId?: string };

/**
 * The API and the worker as child processes on a PostgreSQL cluster of this file's own (the shared server is
 * never restarted), so the API can be killed with writes in flight and the database restarted under load.
 * Afterwards every write the service recorded is in the org exactly once, and the audit chain verifies.
 */
describe('Chaos: the API process killed, Postgres restarted (API and worker children, own Postgres)', () => {
  let postgres: DisposablePostgres;
  let sandbox: SandboxOrg;
  let database: Pool;
  let api: NodeChild;
  let worker: NodeChild;
  let tenant: Tenant;
  let target: ChaosTarget;
  let apiUrl: string;
  let env: NodeJS.ProcessEnv;
  const table = new ChaosTable('API killed, Postgres restarted (API and worker children)');

  const startApi = async () => {
    api = new NodeChild('api', 'src/main.ts', env);
    await waitUntilReady(`${apiUrl}/health/ready`, api, STARTUP_MS);
  };
  /** One demo_requested intent: a critical, in-call write (an Opportunity upsert on the call's external id). */
  const intent = async (callId: string): Promise<Answer> => {
    const started = performance.now();
    try {
      const response = await fetch(`${apiUrl}/v1/calls/${callId}/intents`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tenant.agentKey}`,
          'content-type': 'application/json',
          'idempotency-key': callId,
        },
        body: JSON.stringify({ intent: 'demo_requested', caller: callerOf(callId) }),
        signal: AbortSignal.timeout(DEADLINE_MS * 4),
      });
      const body = (await response.json()) as { writeId?: string };
      return { callId, status: response.status, ms: performance.now() - started, writeId: body.writeId };
    } catch {
      return { callId, status: 'no answer', ms: performance.now() - started };
    }
  };
  const writesOfCalls = (callIds: string[]) =>
    target.query<{ id: string; status: string; call_id: string }>(
      `SELECT id, status, call_id FROM writes WHERE tenant_id = $1 AND call_id = ANY($2::text[])`,
      [tenant.tenantId, callIds],
    );
  const opportunitiesOf = async (callIds: string[]) => {
    const keys = new Set(callIds.map((callId) => `${tenant.tenantId}:${callId}`));
    const records = (await control(sandbox.demo.instanceUrl, 'GET', '/records/Opportunity')).body as Array<
      Record<string, unknown>
    >;
    return records.filter((record) => keys.has(String(record.AICall_External_Id__c)));
  };

  beforeAll(async () => {
    postgres = await startDisposablePostgres();
    sandbox = await startSandboxOrg();
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    const databaseUrl = postgres.url('aicall_chaos');
    env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: `chaos_${randomBytes(4).toString('hex')}`,
      OPERATOR_API_KEY: TEST_OPERATOR_KEY,
      RETRY_SCHEDULE_MS: '50,100,150,200,250',
      OUTBOX_SWEEP_INTERVAL_MS: '500',
      // Longer than an in-call write may take, so the sweep never races a request still sending.
      OUTBOX_SWEEP_GRACE_MS: String(DEADLINE_MS + 1000),
      CRITICAL_WRITE_DEADLINE_MS: String(DEADLINE_MS),
      // Three sockets to Salesforce: with three answers held back, the next in-call writes wait unsent.
      SALESFORCE_POOL_CONNECTIONS: '3',
      WRITE_WORKER_CONCURRENCY: '4',
    };
    await startApi();
    worker = new NodeChild('worker', 'src/worker.ts', env);
    const queue = new Queue(QueueName.SalesforceWrites, env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      prefix: env.QUEUE_PREFIX,
    });
    try {
      await eventually(async () => expect((await queue.getWorkers()).length).toBeGreaterThan(0), 60_000, 250);
    } finally {
      await queue.close();
    }
    tenant = await provisionTenant(apiUrl, TEST_OPERATOR_KEY, {
      instanceUrl: sandbox.myDomainUrl,
      instanceNames: [],
      instanceUrls: [],
      clientId: sandbox.demo.clientId,
      clientSecret: sandbox.demo.clientSecret,
    });
    database = new Pool({ connectionString: databaseUrl, max: 2 });
    // Restarting Postgres ends this pool's idle connections too; the pool reconnects on its next query.
    database.on('error', () => undefined);
    target = {
      query: async (sql, params) => (await database.query(sql, params)).rows,
      http: () => request(apiUrl),
      admin: bearer(tenant.adminKey),
      tenantId: tenant.tenantId,
      instanceUrl: sandbox.myDomainUrl,
    };
  }, 240_000);
  afterEach(async () => {
    await control(sandbox.demo.instanceUrl, 'DELETE', '/faults');
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await database?.end();
    await postgres?.destroy();
    await sandbox?.close();
    // The queues live under this file's prefix on the shared Redis: remove them.
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, env?.REDIS_URL ?? 'redis://127.0.0.1:6379', {
        prefix: env?.QUEUE_PREFIX,
      });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    table.print();
  });

  it('kill -9 of the API with in-call writes in flight: each recorded write lands in the org once', async () => {
    // The first three composites commit but their answers are held back; the next ones wait for a socket.
    await control(sandbox.demo.instanceUrl, 'POST', '/faults', {
      path: '/composite',
      responseDelayMs: 3 * DEADLINE_MS,
      times: 3,
    });
    const callIds = Array.from({ length: 8 }, (_, i) => `api-kill-${i}`);
    const inFlight = Promise.all(callIds.map((callId) => intent(callId)));
    await eventually(
      async () => {
        expect(await writesOfCalls(callIds)).toHaveLength(callIds.length);
        expect(await opportunitiesOf(callIds)).toHaveLength(3);
      },
      20_000,
      50,
    );
    await api.kill();
    const atKill = await writesOfCalls(callIds);
    const committedAtKill = (await opportunitiesOf(callIds)).length;
    const answers = await inFlight;
    expect(answers.every((answer) => answer.status === 'no answer')).toBe(true);
    expect(atKill.every((write) => write.status === 'pending')).toBe(true);

    await startApi();
    const writeIds = atKill.map((write) => write.id);
    const figures = await settle(target, writeIds, { object: 'Opportunity' });
    // The agent asks again with the same Idempotency-Key: the outcome, never a second write. Until the first
    // request is clearly dead (twice the deadline) the answer is 409 "in progress, retry in a moment".
    const retried = await eventually(
      async () => {
        const answers = await Promise.all(callIds.map((callId) => intent(callId)));
        expect(answers.filter((answer) => answer.status === 409)).toEqual([]);
        return answers;
      },
      4 * DEADLINE_MS,
      500,
    );
    table.add(
      'kill -9 API',
      figures,
      `at the kill: ${committedAtKill} committed in the org but not recorded, ` +
        `${atKill.length - committedAtKill} recorded but not sent; retries answered ${summarize(retried)}`,
    );
    expectNothingLost(figures);
    expect(figures.written).toBe(callIds.length);
    expect(retried.map((answer) => answer.status)).toEqual(callIds.map(() => 200));
    expect(retried.map((answer) => answer.writeId).sort()).toEqual([...writeIds].sort());
    expect(await opportunitiesOf(callIds)).toHaveLength(callIds.length);
  }, 240_000);

  it('Postgres restarted under load: quick 503s, nothing accepted lost, recovers by itself', async () => {
    const answers: Answer[] = [];
    let next = 0;
    let running = true;
    const agent = async () => {
      while (running) {
        answers.push(await intent(`pg-restart-${next++}`));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const agents = Array.from({ length: 4 }, () => agent());
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const stoppedAt = answers.length;
    await postgres.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const readiness = await fetch(`${apiUrl}/health/ready`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await postgres.start();
    const restartedAt = answers.length;
    // Recovered by itself: requests are accepted again, without restarting the API or the worker.
    await eventually(
      () => {
        const recent = answers.slice(restartedAt);
        expect(recent.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(8);
        return Promise.resolve();
      },
      30_000,
      100,
    );
    running = false;
    await Promise.all(agents);

    const callIds = answers.map((answer) => answer.callId);
    const recorded = await writesOfCalls(callIds);
    const accepted = answers.filter((answer) => answer.status === 200 || answer.status === 202);
    const figures = await settle(
      target,
      recorded.map((write) => write.id),
      { object: 'Opportunity' },
    );
    const during = answers.slice(stoppedAt, restartedAt);
    const unavailable = answers.filter((answer) => answer.status === 503);
    const slowest503 = Math.max(0, ...unavailable.map((answer) => answer.ms));
    table.add(
      'Postgres restarted under load',
      figures,
      `${answers.length} requests: ${summarize(answers)}; slowest 503 ${Math.round(slowest503)} ms`,
    );
    expect(readiness.status).toBe(503);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThan(0);
    // Only accepted (200/202) or refused as unavailable (503): no 500, and no request left hanging.
    expect(answers.filter((answer) => ![200, 202, 503].includes(answer.status as number))).toEqual([]);
    expect(slowest503).toBeLessThan(DEADLINE_MS);
    // Every accepted write was recorded; every recorded one (even if its answer was a 503) is written once.
    const recordedIds = new Set(recorded.map((write) => write.id));
    expect(accepted.filter((answer) => !recordedIds.has(answer.writeId!))).toEqual([]);
    expectNothingLost(figures);
    expect(figures.written).toBe(recorded.length);
  }, 240_000);
});

function summarize(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const answer of answers)
    counts.set(String(answer.status), (counts.get(String(answer.status)) ?? 0) + 1);
  return [...counts.entries()].map(([status, count]) => `${count}× ${status}`).join(', ');
}

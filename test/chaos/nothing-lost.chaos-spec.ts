import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { QueueName } from '../../src/modules/queue/queue-names';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';

type Row = Record<string, unknown>;

const ROOT = join(__dirname, '..', '..');
const CALLER = { phone: '+16505550142', firstName: 'Cass', lastName: 'Chaos', company: 'Entropy Inc' };

interface Figures {
  accepted: number;
  written: number;
  deadLettered: number;
  duplicates: number;
  lost: number;
}

/**
 * Nothing lost, nothing doubled (product.md §5): the real worker as a child process (kill -9 included), the
 * real Redis (flushed under it), the sandbox org failing on purpose. Afterwards every accepted write is in the
 * org exactly once or in the dead-letter table, and the audit chain verifies.
 */
describe('Chaos: every accepted write reaches Salesforce once or the dead-letter table', () => {
  let c: ConnectedTenant;
  let worker: ChildProcess | undefined;
  const total: Figures = { accepted: 0, written: 0, deadLettered: 0, duplicates: 0, lost: 0 };

  const instance = () => c.sandbox.demo.instanceUrl;
  const startWorker = () => {
    worker = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  };
  const killWorker = async (signal: NodeJS.Signals) => {
    const child = worker;
    worker = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  };
  const submit = async (scenario: string, count: number) => {
    const callIds = Array.from({ length: count }, (_, i) => `chaos-${scenario}-${i}`);
    const writeIds: string[] = [];
    for (const callId of callIds) {
      const res = await c.t.http
        .post(`/v1/calls/${callId}/intents`)
        .set(c.agent)
        .send({ intent: 'call_summary', value: `Chaos ${callId}`, caller: CALLER })
        .expect(202);
      writeIds.push(res.body.writeId as string);
    }
    return { callIds, writeIds };
  };
  const statuses = async (writeIds: string[]) =>
    c.t.app
      .get(DataSource)
      .query<Array<{ id: string; status: string; call_id: string }>>(
        `SELECT id, status, call_id FROM writes WHERE id = ANY($1::uuid[])`,
        [writeIds],
      );

  /** Waits until every write is finished, then counts records by external id and dead letters. */
  const settle = async (scenario: string, writeIds: string[]): Promise<Figures> => {
    const rows = await eventually(
      async () => {
        const current = await statuses(writeIds);
        expect(current.filter((w) => w.status !== 'written' && w.status !== 'dead')).toEqual([]);
        return current;
      },
      110_000,
      250,
    );
    // Let any request Salesforce was still handling land too before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const tasks = (await control(instance(), 'GET', '/records/Task')).body as Row[];
    const deadLetters = await c.t.app
      .get(DataSource)
      .query<Array<{ write_id: string }>>(
        `SELECT write_id FROM dead_letters WHERE write_id = ANY($1::uuid[])`,
        [writeIds],
      );
    const dead = new Set(deadLetters.map((d) => d.write_id));
    const figures: Figures = {
      accepted: writeIds.length,
      written: 0,
      deadLettered: 0,
      duplicates: 0,
      lost: 0,
    };
    for (const write of rows) {
      const inOrg = tasks.filter((t) => t.AICall_External_Id__c === `${c.tenantId}:${write.call_id}`).length;
      if (inOrg > 1) figures.duplicates += inOrg - 1;
      if (write.status === 'written' && inOrg >= 1) figures.written++;
      else if (write.status === 'dead' && dead.has(write.id) && inOrg === 0) figures.deadLettered++;
      else figures.lost++;
    }
    figures.lost += writeIds.length - rows.length;
    console.log(`chaos ${scenario}: ${JSON.stringify(figures)}`);
    for (const key of Object.keys(total) as Array<keyof Figures>) total[key] += figures[key];
    const verify = await c.t.http.get('/v1/audit/verify').set(c.admin).expect(200);
    expect(verify.body).toMatchObject({ ok: true });
    return figures;
  };
  const expectNothingLost = (figures: Figures) => {
    expect(figures.duplicates).toBe(0);
    expect(figures.lost).toBe(0);
    expect(figures.written + figures.deadLettered).toBe(figures.accepted);
  };

  beforeAll(async () => {
    c = await startConnectedTenant({
      env: {
        RETRY_SCHEDULE_MS: '50,100,150,200,250',
        OUTBOX_SWEEP_INTERVAL_MS: '500',
        OUTBOX_SWEEP_GRACE_MS: '1000',
        WRITE_WORKER_CONCURRENCY: '4',
      },
    });
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http.put('/v1/mappings').set(c.admin).send({ call_summary: 'Task.Description' }).expect(200);
    startWorker();
  }, 60_000);
  afterEach(async () => {
    await control(instance(), 'DELETE', '/faults');
    await control(instance(), 'PUT', '/latency', { ms: 0 });
  });
  afterAll(async () => {
    await killWorker('SIGTERM');
    await c.close();
    console.log(`chaos total: ${JSON.stringify(total)}`);
  });

  it('kill -9 of the worker mid-flight: the stalled jobs run again in a new worker, each write once', async () => {
    await control(instance(), 'PUT', '/latency', { ms: 400 });
    const { writeIds } = await submit('kill', 16);
    await eventually(
      async () => {
        const written = (await statuses(writeIds)).filter((w) => w.status === 'written').length;
        expect(written).toBeGreaterThan(0);
      },
      60_000,
      50,
    );
    await killWorker('SIGKILL');
    await control(instance(), 'PUT', '/latency', { ms: 0 });
    startWorker();
    expectNothingLost(await settle('kill -9 worker', writeIds));
  }, 180_000);

  it('Redis flushed with writes pending: the outbox sweep enqueues them again', async () => {
    await killWorker('SIGTERM');
    const { writeIds } = await submit('flush', 12);
    const queue = c.t.app.get<Queue>(getQueueToken(QueueName.SalesforceWrites));
    const keys = await queue.client.keys(`${process.env.QUEUE_PREFIX}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await queue.client.del(...keys);
    expect(await queue.getJob(writeIds[0])).toBeNull();
    startWorker();
    expectNothingLost(await settle('redis flushed', writeIds));
  }, 180_000);

  it('a Salesforce 503 storm: retried on the schedule; written once or dead-lettered', async () => {
    await control(instance(), 'POST', '/faults', { path: '/composite', status: 503, times: 40 });
    const { writeIds } = await submit('storm', 12);
    expectNothingLost(await settle('503 storm', writeIds));
  }, 180_000);

  it('expired tokens: the client refreshes and every write lands once', async () => {
    await control(instance(), 'POST', '/sessions/expire');
    const { writeIds } = await submit('expired', 10);
    await control(instance(), 'POST', '/sessions/expire');
    const figures = await settle('expired tokens', writeIds);
    expectNothingLost(figures);
    expect(figures.written).toBe(figures.accepted);
  }, 180_000);
});

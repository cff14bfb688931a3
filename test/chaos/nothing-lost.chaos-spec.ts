import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { NodeChild } from '../../bench/call-benchmark/processes';
import { CRITICAL_INTENTS } from '../../bench/call-benchmark/provision';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { QueueName } from '../../src/modules/queue/queue-names';
import { startSlackReceiver, type SlackReceiver } from '../failure/slack-receiver';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import {
  ChaosTable,
  expectNothingLost,
  settle,
  sumFigures,
  writeStatuses,
  type ChaosTarget,
} from './support/chaos-figures';

const CALLER = { phone: '+16505550142', firstName: 'Cass', lastName: 'Chaos', company: 'Entropy Inc' };
const ALERT_BATCH_WINDOW_MS = 5000;

/**
 * Nothing lost, nothing doubled (product.md §5): the real workers as child processes (kill -9 included), the
 * real Redis (flushed under it), the sandbox org failing on purpose. Afterwards every accepted write is in the
 * org exactly once or in the dead-letter table, and the audit chain verifies. The queue runs with the service's
 * default lock and stalled-job settings, so the kill -9 scenario shows the recovery time production gets.
 */
describe('Chaos: every accepted write reaches Salesforce once or the dead-letter table', () => {
  let c: ConnectedTenant;
  let slack: SlackReceiver;
  let target: ChaosTarget;
  const workers = new Set<NodeChild>();
  const table = new ChaosTable('workers, Redis and Salesforce failing (in-process API, worker children)');

  const instance = () => c.sandbox.demo.instanceUrl;
  const writesQueue = () => c.t.app.get<Queue>(getQueueToken(QueueName.SalesforceWrites));
  /** A worker child consuming the write queue (Bull lists a blocking client per consuming process). */
  const startWorker = async () => {
    const consumers = (await writesQueue().getWorkers()).length;
    const worker = new NodeChild('worker', 'src/worker.ts', { ...process.env });
    workers.add(worker);
    await eventually(
      async () => {
        if (worker.exited) throw new Error(`worker exited\n${worker.output()}`);
        expect((await writesQueue().getWorkers()).length).toBeGreaterThan(consumers);
      },
      60_000,
      200,
    );
    return worker;
  };
  const stopWorkers = async (how: 'stop' | 'kill') => {
    for (const worker of workers) await (how === 'kill' ? worker.kill() : worker.stop());
    workers.clear();
  };
  const submit = async (scenario: string, count: number, intent = 'call_summary') => {
    const writeIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const callId = `chaos-${scenario}-${i}`;
      const res = await c.t.http
        .post(`/v1/calls/${callId}/intents`)
        .set(c.agent)
        .send(
          intent === 'call_summary'
            ? { intent, value: `Chaos ${callId}`, caller: CALLER }
            : { intent, caller: CALLER },
        );
      expect([200, 202]).toContain(res.status);
      writeIds.push(res.body.writeId as string);
    }
    return writeIds;
  };

  beforeAll(async () => {
    slack = await startSlackReceiver();
    c = await startConnectedTenant({
      env: {
        RETRY_SCHEDULE_MS: '50,100,150,200,250',
        OUTBOX_SWEEP_INTERVAL_MS: '500',
        OUTBOX_SWEEP_GRACE_MS: '2000',
        WRITE_WORKER_CONCURRENCY: '4',
        SLACK_WEBHOOK_URL: slack.url,
        ALERT_BATCH_WINDOW_MS: String(ALERT_BATCH_WINDOW_MS),
      },
    });
    target = {
      query: (sql, params) => c.t.app.get(DataSource).query(sql, params),
      http: () => c.t.http,
      admin: c.admin,
      tenantId: c.tenantId,
      instanceUrl: instance(),
    };
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http.put('/v1/mappings').set(c.admin).send({ call_summary: 'Task.Description' }).expect(200);
    await c.t.http
      .put('/v1/mappings/demo_requested')
      .set(c.admin)
      .send(CRITICAL_INTENTS.demo_requested)
      .expect(200);
    // Two workers, as a deployment runs them: when one dies, the other takes over its jobs.
    await startWorker();
    await startWorker();
  }, 120_000);
  afterEach(async () => {
    await control(instance(), 'DELETE', '/faults');
    await control(instance(), 'PUT', '/latency', { ms: 0 });
  });
  afterAll(async () => {
    await stopWorkers('stop');
    await c?.close();
    await slack?.close();
    table.print();
  });

  it('kill -9 of a worker mid-job: the other worker takes its jobs within seconds, each write once', async () => {
    await control(instance(), 'PUT', '/latency', { ms: 1500 });
    const writeIds = await submit('kill', 16);
    // Both workers busy (4 jobs each at most), so the one killed holds jobs in flight.
    const active = await eventually(
      async () => {
        const jobs = await writesQueue().getActive();
        expect(jobs.length).toBeGreaterThanOrEqual(6);
        return jobs.map((job) => String(job.id));
      },
      30_000,
      50,
    );
    const [victim] = workers;
    workers.delete(victim);
    const killedAt = Date.now();
    await victim.kill();
    await control(instance(), 'PUT', '/latency', { ms: 0 });
    const figures = await settle(target, writeIds);
    // A job of the dead worker starts again (processedOn moves past the kill) once its lock expires.
    const jobs = await Promise.all(active.map((id) => writesQueue().getJob(id)));
    const pickedUpAfterMs = jobs
      .filter((job) => job?.processedOn != null && job.processedOn > killedAt)
      .map((job) => job!.processedOn! - killedAt);
    expect(pickedUpAfterMs.length).toBeGreaterThan(0);
    const slowest = Math.max(...pickedUpAfterMs);
    table.add(
      'kill -9 worker',
      figures,
      `${pickedUpAfterMs.length} stalled jobs picked up again ${(slowest / 1000).toFixed(1)} s after the kill`,
    );
    expectNothingLost(figures);
    // Bull's default lock and stalled check (30 s each) would leave them waiting 30-60 s.
    expect(slowest).toBeLessThan(30_000);
  }, 180_000);

  it('Redis flushed with writes pending: the outbox sweep enqueues them again', async () => {
    await stopWorkers('stop');
    const writeIds = await submit('flush', 12);
    const queue = writesQueue();
    const keys = await queue.client.keys(`${process.env.QUEUE_PREFIX}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await queue.client.del(...keys);
    expect(await queue.getJob(writeIds[0])).toBeNull();
    await startWorker();
    const figures = await settle(target, writeIds);
    table.add('redis flushed', figures);
    expectNothingLost(figures);
  }, 180_000);

  it('a Salesforce 503 storm: retried on the schedule; written once or dead-lettered', async () => {
    await control(instance(), 'POST', '/faults', { path: '/composite', status: 503, times: 40 });
    const writeIds = await submit('storm', 12);
    const figures = await settle(target, writeIds);
    table.add('503 storm', figures);
    expectNothingLost(figures);
  }, 180_000);

  it('Salesforce commits but the response is lost: the retry writes nothing twice', async () => {
    const committedBefore = async (object: string) =>
      ((await control(instance(), 'GET', `/records/${object}`)).body as unknown[]).length;
    const [tasksBefore, opportunitiesBefore] = [
      await committedBefore('Task'),
      await committedBefore('Opportunity'),
    ];
    await control(instance(), 'POST', '/faults', { path: '/composite', dropResponse: true, times: 12 });
    // In-call writes (the API's own composite) and queued ones (the worker's).
    const inCall = await submit('lost-in-call', 6, 'demo_requested');
    const queued = await submit('lost-queued', 6);
    const figures = sumFigures(
      await settle(target, inCall, { object: 'Opportunity' }),
      await settle(target, queued, { object: 'Task' }),
    );
    const requests = (await control(instance(), 'GET', '/requests')).body as {
      requests: Array<{ path: string; status: number }>;
    };
    const lost = requests.requests.filter((r) => r.path.endsWith('/composite') && r.status === 0).length;
    table.add('response lost after commit', figures, `${lost} composite answers cut after commit`);
    expect(lost).toBe(12);
    expect(await committedBefore('Opportunity')).toBe(opportunitiesBefore + 6);
    expect(await committedBefore('Task')).toBe(tasksBefore + 6);
    expectNothingLost(figures);
    expect(figures.written).toBe(12);
  }, 180_000);

  it('a 503 storm longer than every retry: each write dead-lettered once, one alert batch', async () => {
    const alertsBefore = slack.messages.length;
    await control(instance(), 'POST', '/faults', { path: '/composite', status: 503, times: 100_000 });
    const writeIds = await submit('exhausted', 8);
    const figures = await settle(target, writeIds);
    const deaths = await target.query<{ write_id: string; rows: number; attempts: number }>(
      `SELECT d.write_id, count(*)::int AS rows,
         (SELECT count(*)::int FROM write_attempts a WHERE a.write_id = d.write_id) AS attempts
       FROM dead_letters d WHERE d.write_id = ANY($1::uuid[]) GROUP BY d.write_id`,
      [writeIds],
    );
    const alerts = await eventually(
      async () => {
        const alerted = await target.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM dead_letters WHERE write_id = ANY($1::uuid[]) AND alerted_at IS NOT NULL`,
          [writeIds],
        );
        expect(alerted[0].count).toBe(writeIds.length);
        return slack.messages.slice(alertsBefore);
      },
      30_000,
      250,
    );
    // Anything still to come would arrive within one more batch window.
    await new Promise((resolve) => setTimeout(resolve, ALERT_BATCH_WINDOW_MS + 1000));
    table.add(
      'retries exhausted (503 storm)',
      figures,
      `${deaths.length} dead letters, ${slack.messages.length - alertsBefore} Slack message(s)`,
    );
    expectNothingLost(figures);
    expect(figures.deadLettered).toBe(writeIds.length);
    expect(deaths.map((d) => d.rows)).toEqual(writeIds.map(() => 1));
    // Every attempt of the schedule was made: the first try and five retries.
    expect(deaths.map((d) => d.attempts)).toEqual(writeIds.map(() => 6));
    expect(slack.messages.length - alertsBefore).toBe(1);
    expect(alerts[0].text).toContain(`${writeIds.length} writes dead-lettered`);
    for (let i = 0; i < writeIds.length; i++) expect(alerts[0].text).toContain(`chaos-exhausted-${i}`);
  }, 180_000);

  it('expired tokens: the client refreshes and every write lands once', async () => {
    await control(instance(), 'POST', '/sessions/expire');
    const writeIds = await submit('expired', 10);
    await control(instance(), 'POST', '/sessions/expire');
    const figures = await settle(target, writeIds);
    table.add('expired tokens', figures);
    expectNothingLost(figures);
    expect(figures.written).toBe(figures.accepted);
    expect((await writeStatuses(target, writeIds)).every((w) => w.status === 'written')).toBe(true);
  }, 180_000);
});

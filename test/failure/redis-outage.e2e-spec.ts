import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startTestWorker, type TestWorker } from '../support/test-worker';

const CALLER = { phone: '+16505550142', firstName: 'Otto', lastName: 'Outage', company: 'Offline Inc' };

describe('Redis outage: accepted writes are kept in Postgres and finished when Redis returns', () => {
  let redis: TcpProxy;
  let c: ConnectedTenant;
  let worker: TestWorker;

  beforeAll(async () => {
    // API and worker reach the real Redis through a proxy the test can cut.
    redis = await startTcpProxy(6379);
    c = await startConnectedTenant({
      env: {
        REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        RETRY_SCHEDULE_MS: '50,100,150,200,250',
        OUTBOX_SWEEP_INTERVAL_MS: '500',
        OUTBOX_SWEEP_GRACE_MS: '200',
      },
    });
    worker = await startTestWorker();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http.put('/v1/mappings').set(c.admin).send({ call_summary: 'Task.Description' }).expect(200);
  });
  afterAll(async () => {
    await redis.restore().catch(() => undefined);
    await worker.close();
    await c.close();
    await redis.close();
  });

  it('answers 202 while Redis is down, keeps the writes pending, and writes each exactly once after', async () => {
    await redis.cut();
    const callIds = ['outage-1', 'outage-2', 'outage-3'];
    const writeIds: string[] = [];
    for (const callId of callIds) {
      const res = await c.t.http
        .post(`/v1/calls/${callId}/intents`)
        .set(c.agent)
        .send({ intent: 'call_summary', value: `Summary of ${callId}`, caller: CALLER })
        .expect(202);
      writeIds.push(res.body.writeId as string);
    }
    for (const writeId of writeIds) {
      const write = await c.t.http.get(`/v1/writes/${writeId}`).set(c.agent).expect(200);
      expect(write.body.status).toBe('pending');
    }

    await redis.restore();
    for (const writeId of writeIds) {
      await eventually(
        async () => {
          const write = await c.t.http.get(`/v1/writes/${writeId}`).set(c.agent).expect(200);
          expect(write.body.status).toBe('written');
        },
        30_000,
        200,
      );
    }
    const tasks = (await control(c.sandbox.demo.instanceUrl, 'GET', '/records/Task')).body as Array<
      Record<string, unknown>
    >;
    for (const callId of callIds) {
      const ofCall = tasks.filter((task) => task.AICall_External_Id__c === `${c.tenantId}:${callId}`);
      expect(ofCall).toHaveLength(1);
    }
  });
});

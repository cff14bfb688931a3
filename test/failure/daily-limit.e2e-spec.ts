import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/test-worker';

const CALLER = { phone: '+16505550177', firstName: 'Lim', lastName: 'Itless', company: 'Quota Co' };
type Attempt = { errorCode: string | null };

describe('Daily API limit: non-critical writes wait, live calls keep the headroom', () => {
  let c: ConnectedTenant;
  let worker: TestWorker;

  const tasksOf = async (callId: string) =>
    (
      (await control(c.sandbox.demo.instanceUrl, 'GET', '/records/Task')).body as Array<
        Record<string, unknown>
      >
    ).filter((task) => task.AICall_External_Id__c === `${c.tenantId}:${callId}`);
  const summary = async (callId: string) =>
    (
      await c.t.http
        .post(`/v1/calls/${callId}/intents`)
        .set(c.agent)
        .send({ intent: 'call_summary', value: `Summary of ${callId}`, caller: CALLER })
        .expect(202)
    ).body.writeId as string;
  const writeOf = async (writeId: string) =>
    (await c.t.http.get(`/v1/writes/${writeId}`).set(c.agent).expect(200)).body as {
      status: string;
      attempts: Attempt[];
    };

  beforeAll(async () => {
    c = await startConnectedTenant();
    worker = await startTestWorker();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http
      .put('/v1/mappings')
      .set(c.admin)
      .send({ call_summary: 'Task.Description', demo_requested: 'Opportunity.Demo_Requested_At__c' })
      .expect(200);
  });
  afterAll(async () => {
    await worker.close();
    await c.close();
  });

  it('holds a queued Task write above 90 % of the allowance while a critical intent is still written', async () => {
    await control(c.sandbox.demo.instanceUrl, 'PUT', '/limits', { max: 10_000, used: 9_500 });

    // The worker learns the usage from Salesforce's Sforce-Limit-Info on its next call.
    const first = await summary('limit-1');
    await eventually(async () => expect((await writeOf(first)).status).toBe('written'), 15_000, 100);

    const live = await c.t.http
      .post('/v1/calls/limit-live/intents')
      .set(c.agent)
      .send({ intent: 'demo_requested', value: new Date().toISOString(), caller: CALLER })
      .expect(200);
    expect(live.body.status).toBe('written');

    const held = await summary('limit-2');
    await eventually(
      async () => {
        const current = await writeOf(held);
        expect(current.attempts.map((attempt) => attempt.errorCode)).toContain('API_HEADROOM_RESERVED');
      },
      15_000,
      100,
    );
    // Read again: the write and its attempts are two reads, and the first may predate the hold.
    expect((await writeOf(held)).status).toBe('retrying');
    expect(await tasksOf('limit-2')).toHaveLength(0);
    expect(await tasksOf('limit-1')).toHaveLength(1);
  });
});

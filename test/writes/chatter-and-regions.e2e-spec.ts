import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { addTenant, startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/test-worker';

type Row = Record<string, unknown>;
const CALLER = { phone: '+16505550177', firstName: 'Cleo', lastName: 'Chatter', company: 'Feedly Ltd' };

describe('Chatter posts by profile, and region pinning of the agent routes', () => {
  let c: ConnectedTenant;
  let worker: TestWorker;

  const records = async (object: string) =>
    (await control(c.sandbox.demo.instanceUrl, 'GET', `/records/${object}`)).body as Row[];
  const connect = (profile: 'standard' | 'privileged') =>
    c.t.http
      .put('/v1/connection')
      .set(c.admin)
      .send({
        flow: 'client_credentials',
        loginUrl: c.sandbox.myDomainUrl,
        profile,
        clientId: c.sandbox.demo.clientId,
        clientSecret: c.sandbox.demo.clientSecret,
      })
      .expect(200);
  const playCall = async (callId: string) => {
    const demo = await c.t.http
      .post(`/v1/calls/${callId}/intents`)
      .set(c.agent)
      .send({ intent: 'demo_requested', value: '2026-06-01T15:00:00Z', caller: CALLER })
      .expect(200);
    const done = await c.t.http
      .post(`/v1/calls/${callId}/complete`)
      .set(c.agent)
      .send({ summary: `Summary of ${callId}`, durationSeconds: 42, direction: 'inbound' })
      .expect(202);
    const write = await eventually(async () => {
      const view = await c.t.http.get(`/v1/writes/${done.body.writeId}`).set(c.agent).expect(200);
      expect(view.body.status).toBe('written');
      return view.body as Row & { attempts: Row[]; notes: string[] };
    }, 10_000);
    return { opportunityId: demo.body.records.Opportunity as string, write };
  };

  beforeAll(async () => {
    c = await startConnectedTenant({ profile: 'privileged', env: { DEPLOYMENT_REGIONS: 'us' } });
    worker = await startTestWorker();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http
      .put('/v1/mappings')
      .set(c.admin)
      .send({
        demo_requested: 'Opportunity.Demo_Requested_At__c',
        call_completed: { targets: [{ field: 'Chatter.Opportunity', value: '$call.summary' }] },
      })
      .expect(200);
  });
  afterAll(async () => {
    await worker.close();
    await c.close();
  });

  it('posts the summary on the Opportunity when the map asks and the profile allows', async () => {
    const { opportunityId, write } = await playCall('chatter-ok');
    expect(write.records).toMatchObject({ Task: expect.any(String), FeedItem: expect.any(String) });
    const posts = (await records('FeedItem')).filter((post) => post.ParentId === opportunityId);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toContain('Summary of chatter-ok');
  });

  it('under the standard profile writes the Task, refuses the post and records why on the write', async () => {
    await connect('standard');
    const before = (await records('FeedItem')).length;
    const { write } = await playCall('chatter-refused');
    expect(write.records).toEqual({ Task: expect.any(String) });
    expect(write.notes).toContainEqual(expect.stringMatching(/^Chatter post not sent: .*privileged/));
    expect(write.attempts).toContainEqual(
      expect.objectContaining({ outcome: 'refused', errorCode: 'SCOPE_INSUFFICIENT' }),
    );
    expect((await records('FeedItem')).length).toBe(before);
    const tasks = (await records('Task')).filter(
      (task) => task.AICall_External_Id__c === `${c.tenantId}:chatter-refused`,
    );
    expect(tasks).toEqual([
      expect.objectContaining({ TaskSubtype: 'Call', Description: 'Summary of chatter-refused' }),
    ]);
  });

  it('answers 421 on every agent route for a tenant another region serves', async () => {
    const eu = await addTenant(c.t, { region: 'eu' });
    const routes = [
      c.t.http.get('/v1/lookup').query({ phone: '+14155551212' }),
      c.t.http.post('/v1/calls/eu-1/intents').send({ intent: 'demo_requested', caller: CALLER }),
      c.t.http
        .post('/v1/calls/eu-1/complete')
        .send({ summary: 's', durationSeconds: 1, direction: 'inbound' }),
      c.t.http.get('/v1/writes/00000000-0000-4000-8000-000000000000'),
    ];
    for (const route of routes) {
      const res = await route.set(eu.agent);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 421,
        code: 'REGION_MISDIRECTED',
      });
    }
  });
});

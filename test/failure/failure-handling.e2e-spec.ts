import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { addTenant, startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/test-worker';
import { startSlackReceiver, type SlackReceiver } from './slack-receiver';

type Row = Record<string, unknown>;

const MAPS = {
  call_summary: 'Task.Description',
  budget: { valueType: 'number', targets: [{ field: 'Opportunity.Amount', value: '$value' }] },
};
const FIXED_BUDGET = {
  valueType: 'number',
  targets: [{ field: 'Opportunity.Probability', value: '$value' }],
};
const CALLER = { phone: '+16505550199', firstName: 'Fay', lastName: 'Failure', company: 'Retry Ltd' };
const PERMANENT = {
  path: '/composite',
  status: 400,
  errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  message: 'bad value for restricted picklist field: Status',
};

describe('Failure handling: retries, dead letters, Slack alerts, replay (API + worker, sandbox org)', () => {
  let c: ConnectedTenant;
  let worker: TestWorker;
  let slack: SlackReceiver;

  const instance = () => c.sandbox.demo.instanceUrl;
  const ofCall = async (object: string, callId: string) =>
    ((await control(instance(), 'GET', `/records/${object}`)).body as Row[]).filter(
      (r) => r.AICall_External_Id__c === `${c.tenantId}:${callId}`,
    );
  const summary = (callId: string) =>
    c.t.http
      .post(`/v1/calls/${callId}/intents`)
      .set(c.agent)
      .send({ intent: 'call_summary', value: `Summary of ${callId}`, caller: CALLER })
      .expect(202);
  const writeOf = async (writeId: string) =>
    (await c.t.http.get(`/v1/writes/${writeId}`).set(c.agent).expect(200)).body as Row & {
      attempts: Row[];
    };
  const statusBecomes = (writeId: string, status: string) =>
    eventually(
      async () => {
        const write = await writeOf(writeId);
        expect(write.status).toBe(status);
        return write;
      },
      20_000,
      100,
    );
  const deadLetterOf = (writeId: string) =>
    eventually(
      async () => {
        const list = await c.t.http.get('/v1/dead-letters').set(c.admin).expect(200);
        const found = (list.body.deadLetters as Row[]).find((d) => d.writeId === writeId);
        expect(found).toBeDefined();
        return found!;
      },
      20_000,
      100,
    );

  beforeAll(async () => {
    slack = await startSlackReceiver();
    c = await startConnectedTenant({
      env: {
        RETRY_SCHEDULE_MS: '50,100,150,200,250',
        SLACK_WEBHOOK_URL: slack.url,
        PUBLIC_BASE_URL: 'https://connector.example.test',
        ALERT_BATCH_WINDOW_MS: '300',
        OUTBOX_SWEEP_INTERVAL_MS: '1000',
        OUTBOX_SWEEP_GRACE_MS: '1000',
      },
    });
    worker = await startTestWorker();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http.put('/v1/mappings').set(c.admin).send(MAPS).expect(200);
  });
  afterEach(async () => {
    await control(instance(), 'DELETE', '/faults');
  });
  afterAll(async () => {
    await worker.close();
    await c.close();
    await slack.close();
  });

  it('503 three times, then success: written once, every attempt recorded and audited', async () => {
    await control(instance(), 'POST', '/faults', { path: '/composite', status: 503, times: 3 });
    const res = await summary('call-503');
    const write = await statusBecomes(res.body.writeId, 'written');
    expect(
      write.attempts.map((a) => `${String(a.outcome)}:${(a.errorClass as string | null) ?? ''}`),
    ).toEqual(['failed:transient', 'failed:transient', 'failed:transient', 'written:']);
    expect(await ofCall('Task', 'call-503')).toHaveLength(1);
    const audit = await eventually(async () => {
      const page = await c.t.http
        .get('/v1/audit')
        .query({ writeId: res.body.writeId })
        .set(c.admin)
        .expect(200);
      const actions = (page.body.entries as Row[]).map((e) => e.action);
      expect(actions.filter((a) => a === 'writes.attempt.recorded')).toHaveLength(4);
      expect(actions).toContain('writes.write.written');
      return actions;
    });
    expect(audit[0]).toBe('writes.write.requested');
    const dead = await c.t.http.get('/v1/dead-letters').set(c.admin).expect(200);
    expect((dead.body.deadLetters as Row[]).some((d) => d.writeId === res.body.writeId)).toBe(false);
  });

  it('a critical write that keeps failing: the in-call try and five retries, six attempts in all, then the dead letter', async () => {
    await control(instance(), 'POST', '/faults', { path: '/composite', status: 503, times: 50 });
    const res = await c.t.http
      .post('/v1/calls/call-six/intents')
      .set(c.agent)
      .send({ intent: 'budget', value: 1200, caller: CALLER })
      .expect(202);
    const write = await statusBecomes(res.body.writeId as string, 'dead');
    expect(write.attempts.map((a) => `${String(a.via)}:${String(a.outcome)}`)).toEqual([
      'in-call:failed',
      ...Array(5).fill('queued:failed'),
    ]);
    const deadLetter = await deadLetterOf(res.body.writeId as string);
    expect(deadLetter).toMatchObject({ errorCode: 'SERVER_UNAVAILABLE', attempts: 6 });
  });

  it('a permanent error: dead at once (one attempt), one dead letter, and a Slack alert with a replay link', async () => {
    await control(instance(), 'POST', '/faults', { ...PERMANENT, times: 1 });
    const res = await summary('call-permanent');
    const write = await statusBecomes(res.body.writeId, 'dead');
    expect(write.attempts).toHaveLength(1);
    const deadLetter = await deadLetterOf(res.body.writeId);
    expect(deadLetter).toMatchObject({
      intent: 'call_summary',
      callId: 'call-permanent',
      status: 'open',
      errorClass: 'permanent',
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      attempts: 1,
    });
    const detail = await c.t.http
      .get(`/v1/dead-letters/${deadLetter.id as string}`)
      .set(c.admin)
      .expect(200);
    expect(detail.body).toMatchObject({
      payload: { value: 'Summary of call-permanent', caller: { lastName: 'Failure' } },
      mapVersion: 1,
      attemptLog: [{ outcome: 'failed', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }],
    });
    const alert = await eventually(
      () => {
        const message = slack.messages.find((m) => m.text.includes(deadLetter.id as string));
        expect(message).toBeDefined();
        return Promise.resolve(message!.text);
      },
      15_000,
      100,
    );
    expect(alert).toContain(c.tenantId);
    expect(alert).toContain('call_summary');
    expect(alert).toContain('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(alert).toContain(
      `https://connector.example.test/v1/dead-letters/${deadLetter.id as string}/replay`,
    );
    await eventually(async () => {
      const page = await c.t.http
        .get('/v1/audit')
        .query({ action: 'operations.dead-letter.recorded' })
        .set(c.admin)
        .expect(200);
      expect((page.body.entries as Row[]).some((e) => e.subjectId === deadLetter.id)).toBe(true);
    });
    expect(await ofCall('Task', 'call-permanent')).toEqual([]);
  });

  it('a burst of dead letters leaves as one Slack message; a Slack failure is retried and loses nothing', async () => {
    slack.failNext(2);
    const before = slack.messages.length;
    await control(instance(), 'POST', '/faults', { ...PERMANENT, times: 3 });
    const writes = await Promise.all(['call-burst-1', 'call-burst-2', 'call-burst-3'].map(summary));
    const letters = await Promise.all(writes.map((res) => deadLetterOf(res.body.writeId as string)));
    const sent = await eventually(
      () => {
        const text = slack.messages
          .slice(before)
          .map((m) => m.text)
          .join('\n');
        for (const letter of letters) expect(text).toContain(letter.id as string);
        return Promise.resolve(slack.messages.slice(before));
      },
      30_000,
      100,
    );
    expect(slack.refused).toBeGreaterThanOrEqual(2);
    expect(sent.length).toBeLessThan(3);
  }, 40_000);

  it('replay after fixing the map: written once with the current map version; replaying twice is harmless', async () => {
    const refused = await c.t.http
      .post('/v1/calls/call-budget/intents')
      .set(c.agent)
      .send({ intent: 'budget', value: -5, caller: CALLER })
      .expect(422);
    const writeId = refused.body.writeId as string;
    const deadLetter = await deadLetterOf(writeId);
    expect(deadLetter).toMatchObject({ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', status: 'open' });

    await c.t.http.put('/v1/mappings').set(c.admin).send({ budget: FIXED_BUDGET }).expect(200);
    const id = deadLetter.id as string;
    const replay = await c.t.http.post(`/v1/dead-letters/${id}/replay`).set(c.admin).expect(202);
    expect(replay.body).toEqual({ writeId });
    const write = await statusBecomes(writeId, 'written');
    expect(write.mapVersion).toBe(2);
    const again = await c.t.http.post(`/v1/dead-letters/${id}/replay`).set(c.admin).expect(202);
    expect(again.body).toEqual({ writeId });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const opportunities = await ofCall('Opportunity', 'call-budget');
    expect(opportunities).toHaveLength(1);
    expect(opportunities[0]).toMatchObject({ Probability: -5 });
    expect(await ofCall('Account', 'call-budget')).toHaveLength(1);
    const open = await c.t.http.get('/v1/dead-letters').query({ status: 'open' }).set(c.admin).expect(200);
    expect((open.body.deadLetters as Row[]).some((d) => d.id === id)).toBe(false);
    const detail = await c.t.http.get(`/v1/dead-letters/${id}`).set(c.admin).expect(200);
    expect(detail.body).toMatchObject({ status: 'replayed', replays: 1, mapVersion: 1 });
    await eventually(async () => {
      const page = await c.t.http
        .get('/v1/audit')
        .query({ action: 'operations.dead-letter.replay-requested' })
        .set(c.admin)
        .expect(200);
      expect((page.body.entries as Row[]).filter((e) => e.subjectId === id)).toHaveLength(1);
    });
  });

  it('bulk replay: every id replayed once, all written once; a second bulk replay replays nothing', async () => {
    await control(instance(), 'POST', '/faults', { ...PERMANENT, times: 2 });
    const writes = await Promise.all(['call-bulk-1', 'call-bulk-2'].map(summary));
    const letters = await Promise.all(writes.map((res) => deadLetterOf(res.body.writeId as string)));
    const ids = letters.map((letter) => letter.id as string);
    const bulk = await c.t.http.post('/v1/dead-letters/replay').set(c.admin).send({ ids }).expect(202);
    expect(bulk.body.replayed).toBe(2);
    for (const res of writes) await statusBecomes(res.body.writeId as string, 'written');
    const again = await c.t.http.post('/v1/dead-letters/replay').set(c.admin).send({ ids }).expect(202);
    expect(again.body.replayed).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await ofCall('Task', 'call-bulk-1')).toHaveLength(1);
    expect(await ofCall('Task', 'call-bulk-2')).toHaveLength(1);
  });

  it("another tenant's dead letters are 404; bad ids are 404 or 422; only admins may call", async () => {
    await control(instance(), 'POST', '/faults', { ...PERMANENT, times: 1 });
    const res = await summary('call-foreign');
    const letter = await deadLetterOf(res.body.writeId as string);
    const other = await addTenant(c.t);
    const id = letter.id as string;
    await c.t.http.get(`/v1/dead-letters/${id}`).set(other.admin).expect(404);
    await c.t.http.post(`/v1/dead-letters/${id}/replay`).set(other.admin).expect(404);
    await c.t.http
      .post('/v1/dead-letters/replay')
      .set(other.admin)
      .send({ ids: [id] })
      .expect(404);
    const list = await c.t.http.get('/v1/dead-letters').set(other.admin).expect(200);
    expect(list.body.deadLetters).toEqual([]);
    await c.t.http.get('/v1/dead-letters/not-a-uuid').set(c.admin).expect(404);
    await c.t.http
      .post('/v1/dead-letters/replay')
      .set(c.admin)
      .send({ ids: ['nope'] })
      .expect(422);
    await c.t.http.get('/v1/dead-letters').set(c.agent).expect(403);
    expect((await c.t.http.get(`/v1/dead-letters/${id}`).set(c.admin).expect(200)).body.status).toBe('open');
  });
});

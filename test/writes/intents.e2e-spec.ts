import { getQueueToken } from '@nestjs/bull';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { RedisConfig } from '../../src/config/redis.config';
import { QueueName } from '../../src/modules/queue/queue-names';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { addTenant, startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/test-worker';

type Row = Record<string, unknown>;

const MAPS = {
  demo_requested: 'Opportunity.Demo_Requested_At__c',
  qualified: 'Lead.Status',
  call_summary: 'Task.Description',
  qualified_routed: { routing: true, targets: [{ field: 'Lead.Status', value: 'Working - Contacted' }] },
  budget: { valueType: 'number', targets: [{ field: 'Opportunity.Amount', value: '$value' }] },
};

const JANE = { phone: '+14155551212', firstName: 'Jane', lastName: 'Doe' };
const STRANGER = { phone: '+16505550123', firstName: 'Sam', lastName: 'Stranger', company: 'Nowhere Inc' };

describe('Intents and completion against the sandbox org (API + worker)', () => {
  let c: ConnectedTenant;
  let worker: TestWorker;

  const records = async (object: string) =>
    (await control(c.sandbox.demo.instanceUrl, 'GET', `/records/${object}`)).body as Row[];
  const ofCall = async (object: string, callId: string) =>
    (await records(object)).filter((r) => r.AICall_External_Id__c === `${c.tenantId}:${callId}`);
  const requestLog = async () =>
    (
      (await control(c.sandbox.demo.instanceUrl, 'GET', '/requests')).body as {
        requests: Array<{ method: string; path: string; sforceAutoAssign?: string }>;
      }
    ).requests.filter((r) => r.path.startsWith('/services/data'));
  const writeRows = async () =>
    Number((await c.t.app.get(DataSource).query('SELECT count(*) AS n FROM writes'))[0].n);
  const intent = (callId: string, body: Row, key?: string) => {
    const req = c.t.http.post(`/v1/calls/${callId}/intents`).set(c.agent);
    if (key) void req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const getWrite = (writeId: string) => c.t.http.get(`/v1/writes/${writeId}`).set(c.agent).expect(200);

  beforeAll(async () => {
    c = await startConnectedTenant();
    worker = await startTestWorker();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http.put('/v1/mappings').set(c.admin).send(MAPS).expect(200);
  });
  afterAll(async () => {
    await control(c.sandbox.demo.instanceUrl, 'PUT', '/latency', { ms: 0 });
    await worker.close();
    await c.close();
  });

  it('demo_requested for a known caller: one composite, the Opportunity on her Contact and Account', async () => {
    const lookup = await c.t.http
      .get('/v1/lookup')
      .query({ phone: JANE.phone, callId: 'call-demo' })
      .set(c.agent)
      .expect(200);
    const jane = lookup.body.matches[0];
    const before = (await requestLog()).length;
    const res = await intent('call-demo', {
      intent: 'demo_requested',
      value: '2026-06-01T15:00:00Z',
      caller: JANE,
    }).expect(200);
    const sent = (await requestLog()).slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /services/data/v62.0/composite']);
    expect(res.headers['server-timing']).toMatch(/^sf;dur=\d+\.\d\d$/);
    expect(res.body).toEqual({
      writeId: expect.any(String),
      status: 'written',
      records: { Contact: jane.id, Account: jane.accountId, Opportunity: expect.stringMatching(/^006/) },
    });
    const [opportunity] = await ofCall('Opportunity', 'call-demo');
    expect(opportunity).toMatchObject({
      Id: res.body.records.Opportunity,
      AccountId: jane.accountId,
      Demo_Requested_At__c: expect.stringContaining('2026-06-01T15:00:00'),
    });
    expect(await ofCall('Contact', 'call-demo')).toEqual([]);

    const write = await getWrite(res.body.writeId);
    expect(write.body).toMatchObject({
      status: 'written',
      kind: 'intent',
      intent: 'demo_requested',
      mapVersionId: expect.any(String),
      mapVersion: 1,
      records: { Opportunity: res.body.records.Opportunity },
      attempts: [{ via: 'in-call', outcome: 'written', operation: 0 }],
    });
  });

  it('the call cache is told each record id once: a later intent writing the same records leaves it alone', async () => {
    const callId = 'call-cache-once';
    const redis = c.t.app.get<Queue>(getQueueToken(QueueName.SalesforceWrites)).client;
    const key = `${c.t.app.get(ConfigService).getOrThrow<RedisConfig>('redis').queuePrefix}:call:${c.tenantId}:${callId}`;
    await c.t.http.get('/v1/lookup').query({ phone: JANE.phone, callId }).set(c.agent).expect(200);
    const first = await intent(callId, { intent: 'demo_requested', caller: JANE }).expect(200);
    expect(await redis.hget(key, 'rec:Opportunity')).toBe(first.body.records.Opportunity);
    // A short expiry stands for "untouched since": writing to the hash would set it back to hours.
    await redis.expire(key, 1000);
    const second = await intent(callId, { intent: 'budget', value: 25000, caller: JANE }).expect(200);
    expect(second.body.records).toEqual(first.body.records);
    expect(await redis.ttl(key)).toBeLessThanOrEqual(1000);
    expect(await redis.hgetall(key)).toMatchObject({
      'rec:Opportunity': first.body.records.Opportunity,
      'rec:Contact': first.body.records.Contact,
    });
  });

  it('an unknown caller becomes a Lead; assignment rules run only when the map asks for routing', async () => {
    const plain = await intent('call-lead-1', {
      intent: 'qualified',
      value: 'Working - Contacted',
      caller: STRANGER,
    }).expect(200);
    // Another stranger: the org's duplicate rules would match the same name and company to the first Lead.
    const routed = await intent('call-lead-2', {
      intent: 'qualified_routed',
      caller: { ...STRANGER, firstName: 'Sue', phone: '+16505550124' },
    }).expect(200);
    const [lead1] = await ofCall('Lead', 'call-lead-1');
    const [lead2] = await ofCall('Lead', 'call-lead-2');
    expect(lead1).toMatchObject({
      Id: plain.body.records.Lead,
      LastName: 'Stranger',
      Company: 'Nowhere Inc',
      Phone: '+16505550123',
      Status: 'Working - Contacted',
    });
    expect(lead1.OwnerId).toBe(lead1.CreatedById);
    expect(lead2.Id).toBe(routed.body.records.Lead);
    expect(lead2.OwnerId).not.toBe(lead2.CreatedById);
    // What was sent, as the outbox recorded it: the Lead subrequest's Sforce-Auto-Assign header.
    const sentHeader = async (writeId: string) => {
      const [row] = await c.t.app
        .get(DataSource)
        .query(
          `SELECT operations->0->'request'->'body'->'compositeRequest' AS subrequests FROM writes WHERE id = $1`,
          [writeId],
        );
      return (row.subrequests as Array<{ httpHeaders?: Record<string, string> }>).map(
        (sub) => sub.httpHeaders?.['Sforce-Auto-Assign'],
      );
    };
    expect(await sentHeader(plain.body.writeId)).toEqual(['FALSE']);
    expect(await sentHeader(routed.body.writeId)).toEqual(['TRUE']);
  });

  it('replays the first response for the same Idempotency-Key and writes nothing new; 409 for another body', async () => {
    const body = { intent: 'demo_requested', value: '2026-07-01T10:00:00Z', caller: STRANGER };
    const first = await intent('call-idem', body, 'key-1').expect(200);
    const before = (await requestLog()).length;
    const again = await intent('call-idem', body, 'key-1').expect(200);
    expect(again.body).toEqual(first.body);
    expect((await requestLog()).length).toBe(before);
    expect(await ofCall('Opportunity', 'call-idem')).toHaveLength(1);
    expect(await ofCall('Account', 'call-idem')).toHaveLength(1);

    const other = await intent('call-idem', { ...body, value: '2026-07-02T10:00:00Z' }, 'key-1').expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Another tenant may use the same key: keys are scoped per tenant.
    const otherTenant = await addTenant(c.t);
    const foreign = await c.t.http
      .post('/v1/calls/call-idem/intents')
      .set(otherTenant.agent)
      .set('Idempotency-Key', 'key-1')
      .send(body);
    expect(foreign.status).not.toBe(409);
  });

  it('a validation rule failure rolls the whole composite back: 422 with the root cause, no Account left', async () => {
    const res = await intent('call-rollback', { intent: 'budget', value: -5, caller: STRANGER }).expect(422);
    expect(res.body).toMatchObject({
      statusCode: 422,
      code: 'SALESFORCE_REJECTED',
      writeId: expect.any(String),
      problems: [{ code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Amount must not be negative.' }],
    });
    expect(res.body.message).toContain('Amount must not be negative.');
    for (const object of ['Account', 'Contact', 'Opportunity'])
      expect(await ofCall(object, 'call-rollback')).toEqual([]);
    const write = await getWrite(res.body.writeId);
    expect(write.body).toMatchObject({
      status: 'dead',
      lastError: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
      attempts: [{ outcome: 'failed', errorClass: 'permanent' }],
    });
  });

  it('refuses bad input with 422 naming the problem, and writes or queues nothing', async () => {
    const rows = await writeRows();
    const before = (await requestLog()).length;
    const cases: Array<[Row, string]> = [
      [{ intent: 'no_such_intent', caller: STRANGER }, 'INTENT_UNKNOWN'],
      [{ intent: 'demo_requested', value: 'next tuesday', caller: STRANGER }, 'VALUE_TYPE_INVALID'],
      [{ intent: 'budget', caller: STRANGER }, 'VALUE_MISSING'],
      [
        { intent: 'demo_requested', value: '2026-06-01T15:00:00Z', caller: { firstName: 'No' } },
        'VALIDATION_FAILED',
      ],
      [{ intent: 'demo_requested', value: '2026-06-01T15:00:00Z' }, 'VALIDATION_FAILED'],
      [
        { intent: 'demo_requested', value: '2026-06-01T15:00:00Z', caller: { phone: 'call me' } },
        'PHONE_INVALID',
      ],
      [{ intent: 'budget', value: '12', caller: STRANGER }, 'VALUE_TYPE_INVALID'],
    ];
    for (const [body, code] of cases) {
      const res = await intent('call-bad', body).expect(422);
      expect({ code: res.body.code, problems: res.body.problems?.length > 0 || undefined }).toMatchObject({
        code,
      });
    }
    const missingPhone = await intent('call-bad', cases[3][0]).expect(422);
    expect(missingPhone.body.problems).toEqual([expect.objectContaining({ field: 'caller.phone' })]);
    await intent('bad call id', {
      intent: 'demo_requested',
      value: '2026-06-01T15:00:00Z',
      caller: STRANGER,
    }).expect(422);
    expect(await writeRows()).toBe(rows);
    expect((await requestLog()).length).toBe(before);
  });

  it('a deferred intent answers 202 at once and the worker writes it', async () => {
    const res = await intent('call-deferred', {
      intent: 'call_summary',
      value: 'Asked about pricing',
      caller: STRANGER,
    }).expect(202);
    expect(res.body).toEqual({ writeId: expect.any(String), status: 'queued' });
    await eventually(
      async () => expect((await getWrite(res.body.writeId)).body.status).toBe('written'),
      10_000,
    );
    const [task] = await ofCall('Task', 'call-deferred');
    expect(task).toMatchObject({ Description: 'Asked about pricing' });
  });

  it('past CRITICAL_WRITE_DEADLINE_MS (3 s sandbox latency) answers 202, then the worker writes it once', async () => {
    await control(c.sandbox.demo.instanceUrl, 'PUT', '/latency', { ms: 3000 });
    try {
      const started = Date.now();
      const res = await intent('call-slow', {
        intent: 'demo_requested',
        value: '2026-08-01T09:00:00Z',
        caller: { phone: '+16505550125', firstName: 'Slow', lastName: 'Caller', company: 'Latency Ltd' },
      }).expect(202);
      expect(Date.now() - started).toBeLessThan(2900);
      expect(res.body).toEqual({ writeId: expect.any(String), status: 'queued' });
      const write = await eventually(
        async () => {
          const view = await getWrite(res.body.writeId);
          expect(view.body.status).toBe('written');
          return view.body;
        },
        15_000,
        200,
      );
      expect(write.attempts[0]).toMatchObject({
        via: 'in-call',
        outcome: 'failed',
        errorCode: 'DEADLINE_EXCEEDED',
      });
      expect(write.attempts.at(-1)).toMatchObject({ via: 'queued', outcome: 'written' });
    } finally {
      await control(c.sandbox.demo.instanceUrl, 'PUT', '/latency', { ms: 0 });
    }
    // Let the in-call request that Salesforce was still handling land too: upserts, so still one of each.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await ofCall('Opportunity', 'call-slow')).toHaveLength(1);
    expect(await ofCall('Account', 'call-slow')).toHaveLength(1);
    expect(await ofCall('Contact', 'call-slow')).toHaveLength(1);
  }, 30_000);

  it('completion: 202 at once, then the Task with the call fields on the Contact and the Opportunity', async () => {
    const res = await c.t.http
      .post('/v1/calls/call-demo/complete')
      .set(c.agent)
      .send({
        summary: 'Booked a demo for June.',
        durationSeconds: 312,
        direction: 'inbound',
        disposition: 'Demo booked',
      })
      .expect(202);
    expect(res.body).toEqual({ writeId: expect.any(String), status: 'queued' });
    const write = await eventually(async () => {
      const view = await getWrite(res.body.writeId);
      expect(view.body.status).toBe('written');
      return view.body;
    }, 10_000);
    expect(write).toMatchObject({
      kind: 'completion',
      intent: 'call_completed',
      records: { Task: expect.any(String) },
    });
    const [jane] = (await records('Contact')).filter((r) => r.LastName === 'Doe');
    const [opportunity] = await ofCall('Opportunity', 'call-demo');
    const [task] = await ofCall('Task', 'call-demo');
    expect(task).toMatchObject({
      Id: write.records.Task,
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      CallDurationInSeconds: 312,
      CallDisposition: 'Demo booked',
      Description: 'Booked a demo for June.',
      Status: 'Completed',
      CallObject: 'call-demo',
      WhoId: jane.Id,
      WhatId: opportunity.Id,
    });
  });

  it('completion after a Task already written by an earlier intent updates it without TaskSubtype', async () => {
    const res = await c.t.http
      .post('/v1/calls/call-deferred/complete')
      .set(c.agent)
      .send({ summary: 'Pricing call.', durationSeconds: 60, direction: 'outbound' })
      .expect(202);
    await eventually(
      async () => expect((await getWrite(res.body.writeId)).body.status).toBe('written'),
      10_000,
    );
    const tasks = await ofCall('Task', 'call-deferred');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      Description: 'Pricing call.',
      CallType: 'Outbound',
      CallDurationInSeconds: 60,
    });
  });

  it('GET /v1/writes: the agent and admin of the tenant see it; another tenant gets 404', async () => {
    const res = await intent('call-iso', { intent: 'call_summary', value: 'x', caller: STRANGER }).expect(
      202,
    );
    await c.t.http.get(`/v1/writes/${res.body.writeId}`).set(c.admin).expect(200);
    const other = await addTenant(c.t);
    await c.t.http.get(`/v1/writes/${res.body.writeId}`).set(other.agent).expect(404);
    await c.t.http.get(`/v1/writes/${res.body.writeId}`).set(other.admin).expect(404);
    await c.t.http.get('/v1/writes/not-a-uuid').set(c.agent).expect(404);
  });
});

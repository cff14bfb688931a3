import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { SalesforceClient } from '../../src/modules/salesforce/client/salesforce-client';
import { DEMO_MAPS } from '../../scripts/demo-tenant';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/test-worker';

type Row = Record<string, unknown>;

/**
 * What works here must work against Salesforce as it is (issue 10): the seed's short-form maps with intent-only
 * requests, Account owners kept despite the org's assignment rule, and the org's duplicate rules met by each
 * map's policy — all against the sandbox org, which now behaves as salesforce-rest.md says.
 */
describe('Real-org behaviour: map by intent, assignment and duplicate rules (API + worker, sandbox org)', () => {
  let c: ConnectedTenant;
  let worker: TestWorker;

  const records = async (object: string) =>
    (await control(c.sandbox.myDomainUrl, 'GET', `/records/${object}`)).body as Row[];
  const byId = async (object: string, id: unknown) => (await records(object)).find((r) => r.Id === id);
  const intent = (callId: string, body: Row) =>
    c.t.http.post(`/v1/calls/${callId}/intents`).set(c.agent).send(body);
  const writeOf = (writeId: string) => c.t.http.get(`/v1/writes/${writeId}`).set(c.agent).expect(200);
  /** Completes the call and waits for the worker to write its Task: the Task as the org has it. */
  const completedTask = async (callId: string, summary: string) => {
    const completion = await c.t.http
      .post(`/v1/calls/${callId}/complete`)
      .set(c.agent)
      .send({ summary, durationSeconds: 95, direction: 'inbound' })
      .expect(202);
    return eventually(
      async () => {
        const write = await writeOf(completion.body.writeId as string);
        expect(write.body.status).toBe('written');
        return byId('Task', write.body.records.Task);
      },
      20_000,
      100,
    );
  };

  beforeAll(async () => {
    c = await startConnectedTenant();
    worker = await startTestWorker();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http.put('/v1/mappings').set(c.admin).send(DEMO_MAPS).expect(200);
  });
  afterAll(async () => {
    await worker.close();
    await c.close();
  });

  it("resolves the seed's short forms by field type, and says what the agent must send", async () => {
    const list = await c.t.http.get('/v1/mappings').set(c.admin).expect(200);
    const byIntent = Object.fromEntries((list.body as Row[]).map((map) => [map.intent, map]));
    expect(byIntent.demo_requested).toMatchObject({
      status: 'ok',
      valueType: 'datetime',
      targets: [{ field: 'Opportunity.Demo_Requested_At__c', value: '$value', default: '$now' }],
      agentValue: { required: false, type: 'datetime' },
    });
    expect(byIntent.qualified).toMatchObject({
      targets: [{ field: 'Lead.Status', value: '$value', default: 'Qualified' }],
      agentValue: { required: false, type: 'picklist', allowedValues: expect.arrayContaining(['Qualified']) },
    });
    expect(byIntent.call_summary).toMatchObject({
      targets: [{ field: 'Task.Description', value: '$value' }],
      agentValue: { required: true, type: 'text' },
    });
    const one = await c.t.http.get('/v1/mappings/qualified').set(c.admin).expect(200);
    expect(one.body.agentValue).toEqual(byIntent.qualified.agentValue);
    const full = await c.t.http.get('/v1/mappings/export').query({ format: 'full' }).set(c.admin).expect(200);
    expect(full.body.demo_requested.targets).toEqual([
      { field: 'Opportunity.Demo_Requested_At__c', value: '$value', default: '$now' },
    ]);
    const short = await c.t.http.get('/v1/mappings/export').set(c.admin).expect(200);
    expect(short.body).toEqual(DEMO_MAPS);
  });

  it('plays a call with intents only: lookup → demo_requested → completion writes the Task with WhoId and WhatId', async () => {
    const callId = 'intent-only-1';
    const caller = {
      phone: '+16505550111',
      firstName: 'Ida',
      lastName: 'Intent',
      company: 'Only Intents Ltd',
    };
    await c.t.http.get('/v1/lookup').query({ phone: caller.phone, callId }).set(c.agent).expect(200);
    const before = Date.now();
    const demo = await intent(callId, { intent: 'demo_requested', caller }).expect(200);
    const opportunity = await byId('Opportunity', demo.body.records.Opportunity);
    const requestedAt = Date.parse(String(opportunity?.Demo_Requested_At__c));
    expect(requestedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(requestedAt).toBeLessThanOrEqual(Date.now() + 1000);

    const task = await completedTask(callId, 'Wants a demo on Tuesday.');
    expect(task).toMatchObject({
      WhoId: demo.body.records.Contact,
      WhatId: demo.body.records.Opportunity,
      Description: 'Wants a demo on Tuesday.',
      TaskSubtype: 'Call',
    });
  });

  it('writes the picklist value named like the intent, and refuses a wrong or missing value naming the allowed ones', async () => {
    const caller = {
      phone: '+16505550112',
      firstName: 'Quinn',
      lastName: 'Qualified',
      company: 'Picklists Inc',
    };
    const qualified = await intent('intent-only-2', { intent: 'qualified', caller }).expect(200);
    expect((await byId('Lead', qualified.body.records.Lead))?.Status).toBe('Qualified');

    const wrong = await intent('intent-only-3', {
      intent: 'qualified',
      value: 'Ready to buy',
      caller,
    }).expect(422);
    expect(wrong.body.code).toBe('VALUE_NOT_ALLOWED');
    expect(wrong.body.message).toContain('"Working - Contacted"');
    const missing = await intent('intent-only-4', { intent: 'call_summary', caller }).expect(422);
    expect(missing.body.code).toBe('VALUE_MISSING');
    const mistyped = await intent('intent-only-5', {
      intent: 'demo_requested',
      value: 'soon',
      caller,
    }).expect(422);
    expect(mistyped.body.code).toBe('VALUE_TYPE_INVALID');
  });

  it('simulates an intent-only script exactly as a real call resolves it', async () => {
    const res = await c.t.http
      .post('/v1/simulations')
      .set(c.admin)
      .send({ script: [{ intent: 'demo_requested', caller: { phone: '+16505550113', lastName: 'Sim' } }] })
      .expect(200);
    const [step] = res.body.steps as Array<{ problems: unknown[]; operations: unknown[] }>;
    expect(step.problems).toEqual([]);
    expect(JSON.stringify(step.operations)).toMatch(/"Demo_Requested_At__c":"\d{4}-\d{2}-\d{2}T/);
  });

  it("keeps the Account's owner: Sforce-Auto-Assign FALSE on every Account and Lead subrequest", async () => {
    const territoryOwner = (await records('User')).find((user) =>
      String(user.Username).startsWith('territory-owner'),
    );
    expect(territoryOwner).toBeDefined();
    const caller = {
      phone: '+16505550114',
      firstName: 'Otto',
      lastName: 'Owner',
      company: 'Kept Owners Ltd',
    };
    const res = await intent('owner-kept-1', { intent: 'demo_requested', caller }).expect(200);
    const account = await byId('Account', res.body.records.Account);
    expect(account?.OwnerId).toBeDefined();
    expect(account?.OwnerId).not.toBe(territoryOwner?.Id);
    const log = (await control(c.sandbox.myDomainUrl, 'GET', '/requests')).body as {
      requests: Array<{ path: string; subrequests?: Array<{ url: string; sforceAutoAssign?: string }> }>;
    };
    const composite = log.requests.filter((r) => r.path.endsWith('/composite')).at(-1);
    const accountSub = composite?.subrequests?.find((sub) => sub.url.includes('/sobjects/Account/'));
    expect(accountSub?.sforceAutoAssign).toBe('FALSE');
  });

  describe("the org's duplicate rules, per map policy", () => {
    // Each test its own person: the rules match on e-mail, and on name + company.
    const existingLead = async (email: string) =>
      c.t.app.get(SalesforceClient).request<{ id: string }>(c.tenantId, {
        method: 'POST',
        path: '/sobjects/Lead',
        body: { LastName: 'Dupont', FirstName: email.split('@')[1], Company: 'Twice Ltd', Email: email },
      });
    /** The caller Dana Dupont, with an e-mail of her own per test (the rules match on it). */
    const dana = (domain: string, phone: string) => ({
      phone,
      firstName: 'Dana',
      lastName: 'Dupont',
      email: `dana@${domain}`,
    });
    const lead = (policy: string) => ({
      targets: [{ field: 'Lead.Status', value: 'Working - Contacted' }],
      ...(policy !== 'default' && { duplicates: policy }),
    });

    beforeAll(async () => {
      await c.t.http
        .put('/v1/mappings')
        .set(c.admin)
        .send({
          dup_default: lead('default'),
          dup_allow: lead('allow'),
          dup_fail: lead('fail'),
        })
        .expect(200);
    });

    it('use_matched (default): writes onto the record the rule names, remembers it for the call, notes it', async () => {
      const existing = await existingLead('dana@twice.example');
      const caller = dana('twice.example', '+16505550115');
      const res = await intent('dup-1', { intent: 'dup_default', caller }).expect(200);
      expect(res.body.records.Lead).toBe(existing.id);
      expect((await byId('Lead', existing.id))?.Status).toBe('Working - Contacted');
      const leads = (await records('Lead')).filter((r) => r.Email === 'dana@twice.example');
      expect(leads).toHaveLength(1);
      const write = await writeOf(res.body.writeId as string);
      expect((write.body.notes as string[]).join()).toContain(`duplicate rule matched ${existing.id}`);
      // Remembered for the call: the next intent updates that Lead by id, no rule involved.
      const again = await intent('dup-1', { intent: 'dup_default', caller }).expect(200);
      expect(again.body.records.Lead).toBe(existing.id);
    });

    it('use_matched: a match the map writes no field of is remembered for the call too, so later intents meet no rule', async () => {
      // A repeat caller the lookup did not place: the first call wrote her Account and Contact, the rules match
      // them (Account: name + phone; Contact: e-mail), and demo_requested writes only the Opportunity.
      const caller = {
        phone: '+16505550118',
        firstName: 'Rhea',
        lastName: 'Repeat',
        company: 'Repeat Callers Ltd',
        email: 'rhea@repeat.example',
      };
      const first = await intent('dup-4a', { intent: 'demo_requested', caller }).expect(200);
      const composites = async () =>
        (
          (await control(c.sandbox.myDomainUrl, 'GET', '/requests')).body as {
            requests: Array<{ path: string }>;
          }
        ).requests.filter((r) => r.path.endsWith('/composite')).length;

      const again = await intent('dup-4b', { intent: 'demo_requested', caller }).expect(200);
      expect(again.body.records).toMatchObject({
        Account: first.body.records.Account,
        Contact: first.body.records.Contact,
      });
      expect(again.body.records.Opportunity).not.toBe(first.body.records.Opportunity);

      const before = await composites();
      const next = await intent('dup-4b', { intent: 'demo_requested', caller }).expect(200);
      expect(await composites()).toBe(before + 1);
      expect(next.body.records).toEqual(again.body.records);

      const task = await completedTask('dup-4b', 'Called again.');
      expect(task).toMatchObject({
        WhoId: first.body.records.Contact,
        WhatId: again.body.records.Opportunity,
      });
    });

    it('allow: saves a new record anyway (allowSave=true)', async () => {
      const existing = await existingLead('dana@allow.example');
      const caller = dana('allow.example', '+16505550116');
      const res = await intent('dup-2', { intent: 'dup_allow', caller }).expect(200);
      expect(res.body.records.Lead).not.toBe(existing.id);
      expect((await records('Lead')).filter((r) => r.Email === 'dana@allow.example')).toHaveLength(2);
    });

    it('fail: the write fails with the rule named, and nothing is written', async () => {
      await existingLead('dana@fail.example');
      const caller = dana('fail.example', '+16505550117');
      const res = await intent('dup-3', { intent: 'dup_fail', caller }).expect(422);
      expect(res.body.code).toBe('SALESFORCE_REJECTED');
      expect(JSON.stringify(res.body)).toContain('DUPLICATES_DETECTED');
      expect((await records('Lead')).filter((r) => r.Email === 'dana@fail.example')).toHaveLength(1);
    });
  });
});

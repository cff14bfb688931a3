import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { MappingEvents } from '../../src/modules/mapping/events/mapping.events';
import { addTenant, startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';

const SEED = {
  demo_requested: 'Opportunity.Demo_Requested_At__c',
  qualified: 'Lead.Status',
  call_summary: 'Task.Description',
};

interface LoggedRequest {
  method: string;
  path: string;
}

describe('Intent maps against the sandbox org', () => {
  let c: ConnectedTenant;
  const events: Array<{ name: string; payload: Record<string, unknown> }> = [];

  beforeAll(async () => {
    c = await startConnectedTenant();
    const emitter = c.t.app.get(EventEmitter2);
    for (const name of Object.values(MappingEvents)) {
      emitter.on(name, (payload: Record<string, unknown>) => events.push({ name, payload }));
    }
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
  });
  afterAll(() => c.close());

  /** JSON-encoded by hand: a short-form map is a bare JSON string. */
  const put = (intent: string, body: unknown) =>
    c.t.http
      .put(`/v1/mappings/${intent}`)
      .set(c.admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  it('refreshes metadata from the org and serves it per object', async () => {
    const refreshed = await c.t.http
      .post('/v1/metadata/refresh')
      .set(c.admin)
      .send({ objects: ['Opportunity', 'Support_Case__c'] })
      .expect(200);
    expect(refreshed.body.objects.map((object: { name: string }) => object.name)).toEqual([
      'Opportunity',
      'Support_Case__c',
    ]);
    const opportunity = await c.t.http.get('/v1/metadata/objects/opportunity').set(c.admin).expect(200);
    expect(opportunity.body).toMatchObject({ name: 'Opportunity', found: true });
    const fields = Object.fromEntries(
      opportunity.body.fields.map((field: { name: string }) => [field.name, field]),
    );
    expect(fields.Demo_Requested_At__c).toMatchObject({
      type: 'datetime',
      createable: true,
      updateable: true,
    });
    expect(fields.StageName).toMatchObject({ type: 'picklist', restrictedPicklist: true, nillable: false });
    expect(fields.StageName.picklistValues).toContain('Demo Scheduled');
    expect(fields.AccountId.referenceTo).toEqual(['Account']);
    expect(fields.AICall_External_Id__c.externalId).toBe(true);
    expect(fields.IsWon).toMatchObject({ createable: false, updateable: false });

    const missing = await c.t.http.get('/v1/metadata/objects/Product_Interest__c').set(c.admin).expect(404);
    expect(missing.body.code).toBe('METADATA_MISSING');
    expect(events.map((event) => event.name)).toContain(MappingEvents.MetadataRefreshed);
  });

  it('imports the seed example as it is, and exports it back in the short form', async () => {
    const imported = await c.t.http.put('/v1/mappings').set(c.admin).send(SEED).expect(200);
    expect(imported.body.count).toBe(3);
    const list = await c.t.http.get('/v1/mappings').set(c.admin).expect(200);
    const byIntent = Object.fromEntries(list.body.map((map: { intent: string }) => [map.intent, map]));
    expect(byIntent.demo_requested).toMatchObject({
      version: 1,
      mode: 'critical',
      valueType: 'datetime',
      targets: [{ field: 'Opportunity.Demo_Requested_At__c', value: '$value' }],
      routing: false,
      status: 'ok',
      drift: [],
    });
    expect(byIntent.qualified).toMatchObject({ mode: 'critical', valueType: 'picklist' });
    expect(byIntent.call_summary).toMatchObject({ mode: 'deferred', valueType: 'text' });

    const exported = await c.t.http.get('/v1/mappings/export').set(c.admin).expect(200);
    expect(exported.body).toEqual(SEED);
    const full = await c.t.http.get('/v1/mappings/export?format=full').set(c.admin).expect(200);
    // The resolved full form: the short form's implied value is the picklist value named like the intent.
    expect(full.body.qualified).toEqual({
      mode: 'critical',
      valueType: 'picklist',
      targets: [{ field: 'Lead.Status', value: '$value', default: 'Qualified' }],
      routing: false,
      externalIdField: 'AICall_External_Id__c',
      duplicates: 'use_matched',
    });
    expect(events.map((event) => event.name)).toContain(MappingEvents.IntentMapsImported);
  });

  it('saves the api.md full form; every save is a new immutable version', async () => {
    const body = {
      mode: 'critical',
      valueType: 'datetime',
      targets: [
        { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
        { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
      ],
      routing: false,
    };
    const first = await put('demo_booked', body).expect(200);
    expect(first.body).toMatchObject({ intent: 'demo_booked', version: 1, ...body });
    const second = await put('demo_booked', { ...body, routing: true }).expect(200);
    expect(second.body.version).toBe(2);
    expect(second.body.versionId).not.toBe(first.body.versionId);

    const current = await c.t.http.get('/v1/mappings/demo_booked').set(c.admin).expect(200);
    expect(current.body).toMatchObject({ version: 2, routing: true });
    const versions = await c.t.http.get('/v1/mappings/demo_booked/versions').set(c.admin).expect(200);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body[1].routing).toBe(false);

    await expect(
      c.t.app
        .get(DataSource)
        .query(`UPDATE intent_map_versions SET version = 9 WHERE id = $1`, [first.body.versionId]),
    ).rejects.toThrow(/immutable/);
    expect(events).toContainEqual(
      expect.objectContaining({
        name: MappingEvents.IntentMapSaved,
        payload: expect.objectContaining({
          intent: 'demo_booked',
          version: 2,
          actor: expect.objectContaining({ role: 'admin' }),
        }),
      }),
    );
  });

  it('deletes an intent (404 afterwards), and a new save continues its version numbers', async () => {
    await put('short_lived', 'Opportunity.NextStep').expect(200);
    await c.t.http.delete('/v1/mappings/short_lived').set(c.admin).expect(204);
    await c.t.http.get('/v1/mappings/short_lived').set(c.admin).expect(404);
    await c.t.http.get('/v1/mappings/short_lived/versions').set(c.admin).expect(404);
    await c.t.http.delete('/v1/mappings/short_lived').set(c.admin).expect(404);
    const list = await c.t.http.get('/v1/mappings').set(c.admin).expect(200);
    expect(list.body.map((map: { intent: string }) => map.intent)).not.toContain('short_lived');
    const again = await put('short_lived', 'Opportunity.NextStep').expect(200);
    expect(again.body.version).toBe(2);
    expect(events.map((event) => event.name)).toContain(MappingEvents.IntentMapDeleted);
  });

  describe('refuses at save time, with one problem per bad target', () => {
    const expectProblem = async (body: unknown, code: string, status = 422) => {
      const res = await put('broken', body).expect(status);
      expect(res.body.code).toBe(status === 422 ? 'MAPPING_INVALID' : 'MAPPING_MALFORMED');
      expect(res.body.problems).toEqual([expect.objectContaining({ code })]);
      return res.body;
    };

    it('FIELD_NOT_FOUND', () => expectProblem('Opportunity.Demo_Requested__c', 'FIELD_NOT_FOUND'));
    it('METADATA_MISSING', () => expectProblem('Product_Interest__c.Product__c', 'METADATA_MISSING'));
    it('OBJECT_NOT_FOUND', async () => {
      const refreshed = await c.t.http
        .post('/v1/metadata/refresh')
        .set(c.admin)
        .send({ objects: ['Nope__c'] })
        .expect(200);
      expect(refreshed.body.objects).toEqual([expect.objectContaining({ name: 'Nope__c', found: false })]);
      await expectProblem('Nope__c.Anything__c', 'OBJECT_NOT_FOUND');
    });
    it('TYPE_INCOMPATIBLE (type hint)', () =>
      expectProblem(
        { valueType: 'boolean', targets: [{ field: 'Opportunity.Amount', value: '$value' }] },
        'TYPE_INCOMPATIBLE',
      ));
    it('TYPE_INCOMPATIBLE (expression)', () =>
      expectProblem({ targets: [{ field: 'Opportunity.Amount', value: '$now' }] }, 'TYPE_INCOMPATIBLE'));
    it('NOT_WRITABLE', () => expectProblem('Opportunity.IsWon', 'NOT_WRITABLE'));
    it('PICKLIST_VALUE_INVALID', async () => {
      const body = await expectProblem(
        { targets: [{ field: 'Opportunity.StageName', value: 'Demo Booked' }] },
        'PICKLIST_VALUE_INVALID',
      );
      expect(body.problems[0]).toMatchObject({ field: 'broken.targets[0]', target: 'Opportunity.StageName' });
    });
    it('SCOPE_INSUFFICIENT (Chatter on a standard connection names the profile it needs)', async () => {
      const body = await expectProblem(
        { targets: [{ field: 'Chatter.Opportunity', value: 'Demo booked' }] },
        'SCOPE_INSUFFICIENT',
      );
      expect(body.problems[0].message).toContain('privileged');
    });
    it('400 for malformed maps, naming the spot', async () => {
      await expectProblem(
        { targets: [{ field: 'Opportunity.Amount', value: '$later' }] },
        'MALFORMED',
        400,
      ).then((body) => expect(body.problems[0].field).toBe('broken.targets[0].value'));
      await expectProblem({ targets: [] }, 'MALFORMED', 400).then((body) =>
        expect(body.problems[0].field).toBe('broken.targets'),
      );
      await expectProblem('Opportunity', 'MALFORMED', 400);
      await expectProblem(
        { targets: [{ field: 'Opportunity.Amount', value: 1 }], colour: 'red' },
        'MALFORMED',
        400,
      );
    });
    it('lists every bad target of a map', async () => {
      const res = await put('broken', {
        targets: [
          { field: 'Opportunity.Nope__c', value: 1 },
          { field: 'Opportunity.Amount', value: 10 },
          { field: 'Opportunity.IsWon', value: true },
        ],
      }).expect(422);
      expect(res.body.problems.map((p: { field: string; code: string }) => [p.field, p.code])).toEqual([
        ['broken.targets[0]', 'FIELD_NOT_FOUND'],
        ['broken.targets[2]', 'NOT_WRITABLE'],
      ]);
      await c.t.http.get('/v1/mappings/broken').set(c.admin).expect(404);
    });
  });

  it('imports all or nothing: one bad intent and nothing changes, every problem listed', async () => {
    const before = await c.t.http.get('/v1/mappings/export?format=full').set(c.admin).expect(200);
    const res = await c.t.http
      .put('/v1/mappings')
      .set(c.admin)
      .send({
        demo_requested: 'Opportunity.NextStep',
        brand_new: 'Opportunity.Amount',
        bad_one: 'Opportunity.No_Such_Field__c',
        bad_two: { targets: [{ field: 'Opportunity.StageName', value: 'Nope' }] },
      })
      .expect(422);
    expect(res.body.problems.map((p: { intent: string; code: string }) => [p.intent, p.code])).toEqual([
      ['bad_one', 'FIELD_NOT_FOUND'],
      ['bad_two', 'PICKLIST_VALUE_INVALID'],
    ]);
    const malformed = await c.t.http
      .put('/v1/mappings')
      .set(c.admin)
      .send({ brand_new: 'Opportunity.Amount', bad: 'no dot' })
      .expect(400);
    expect(malformed.body.problems).toEqual([expect.objectContaining({ field: 'bad' })]);
    const after = await c.t.http.get('/v1/mappings/export?format=full').set(c.admin).expect(200);
    expect(after.body).toEqual(before.body);
    await c.t.http.get('/v1/mappings/brand_new').set(c.admin).expect(404);
  });

  it('auto-maps by normalised API name and type, and says why the rest are unmapped', async () => {
    const res = await c.t.http
      .post('/v1/mappings/auto-map')
      .set(c.admin)
      .send({
        fields: {
          demo_requested_at: 'datetime',
          next_step: 'string',
          is_won: 'boolean',
          favourite_colour: 'string',
          amount: 'boolean',
        },
        objects: ['Opportunity'],
      })
      .expect(200);
    expect(res.body.mapped).toEqual({
      demo_requested_at: 'Opportunity.Demo_Requested_At__c',
      next_step: 'Opportunity.NextStep',
    });
    const reasons = Object.fromEntries(
      res.body.unmapped.map((u: { name: string; reason: string }) => [u.name, u.reason]),
    );
    expect(reasons.is_won).toMatch(/not writable/);
    expect(reasons.favourite_colour).toMatch(/no field named like/);
    expect(reasons.amount).toMatch(/Opportunity.Amount is currency/);
    // What auto-map proposes imports as it is.
    await c.t.http.put('/v1/mappings').set(c.admin).send(res.body.mapped).expect(200);
  });

  it('simulates a three-step call script: the exact requests, problems, and no DML at the org', async () => {
    await c.t.http
      .put('/v1/mappings')
      .set(c.admin)
      .send({
        ...SEED,
        demo_requested: {
          valueType: 'datetime',
          targets: [
            { field: 'Opportunity.Demo_Requested_At__c', value: '$value' },
            { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
          ],
        },
        qualified: { routing: true, targets: [{ field: 'Lead.Status', value: 'Working - Contacted' }] },
      })
      .expect(200);
    await control(c.sandbox.demo.instanceUrl, 'POST', '/reset');
    const res = await c.t.http
      .post('/v1/simulations')
      .set(c.admin)
      .send({
        callId: 'sim-1',
        script: [
          {
            intent: 'qualified',
            caller: { phone: '+14155550100', firstName: 'Ada', lastName: 'Lovelace', company: 'Engines' },
          },
          { intent: 'demo_requested', value: '2026-06-01T15:00:00Z' },
          { intent: 'call_summary', value: 'Wants a demo next week' },
          { intent: 'no_such_intent' },
        ],
      })
      .expect(200);
    const [lead, demo, summary, unknown] = res.body.steps;
    const V = '/services/data/v62.0';
    const key = encodeURIComponent(`${c.tenantId}:sim-1`);

    expect(lead).toMatchObject({ step: 1, intent: 'qualified', mode: 'critical', problems: [] });
    expect(lead.operations).toEqual([
      expect.objectContaining({
        kind: 'composite',
        dispatch: 'in-call',
        request: {
          method: 'POST',
          url: `${V}/composite`,
          body: {
            allOrNone: true,
            collateSubrequests: false,
            compositeRequest: [
              {
                method: 'PATCH',
                url: `${V}/sobjects/Lead/AICall_External_Id__c/${key}`,
                referenceId: 'refLead',
                body: {
                  FirstName: 'Ada',
                  LastName: 'Lovelace',
                  Phone: '+14155550100',
                  Company: 'Engines',
                  Status: 'Working - Contacted',
                },
                httpHeaders: { 'Sforce-Auto-Assign': 'TRUE' },
              },
            ],
          },
        },
      }),
    ]);

    const subrequests = demo.operations[0].request.body.compositeRequest;
    expect(subrequests.map((s: { referenceId: string }) => s.referenceId)).toEqual([
      'refAccount',
      'refContact',
      'refOpportunity',
    ]);
    expect(subrequests[1].body.AccountId).toBe('@{refAccount.id}');
    expect(subrequests[2].body).toMatchObject({
      AccountId: '@{refAccount.id}',
      StageName: 'Demo Scheduled',
      Demo_Requested_At__c: '2026-06-01T15:00:00Z',
    });

    expect(summary).toMatchObject({ mode: 'deferred', problems: [] });
    expect(summary.operations).toEqual([expect.objectContaining({ kind: 'composite', dispatch: 'queued' })]);
    const task = summary.operations[0].request.body.compositeRequest.at(-1);
    expect(task).toMatchObject({
      method: 'PATCH',
      url: `${V}/sobjects/Task/AICall_External_Id__c/${key}`,
      body: {
        Description: 'Wants a demo next week',
        WhoId: '{Contact id from step 2}',
        WhatId: '{Opportunity id from step 2}',
      },
    });
    expect(unknown.problems).toEqual([expect.objectContaining({ code: 'INTENT_UNKNOWN' })]);
    expect(res.body.requests).toEqual({ total: 3, inCall: 2 });

    const log = (await control(c.sandbox.demo.instanceUrl, 'GET', '/requests')).body as {
      requests: LoggedRequest[];
    };
    expect(log.requests.filter((r) => r.method !== 'GET' || r.path.includes('/composite'))).toEqual([]);
    expect(events.map((event) => event.name)).toContain(MappingEvents.SimulationRun);
  });

  it('plans Chatter posts for a privileged connection', async () => {
    const privileged = await addTenant(c.t);
    await c.t.http
      .put('/v1/connection')
      .set(privileged.admin)
      .send({
        flow: 'client_credentials',
        loginUrl: c.sandbox.myDomainUrl,
        profile: 'privileged',
        clientId: c.sandbox.demo.clientId,
        clientSecret: c.sandbox.demo.clientSecret,
      })
      .expect(200);
    await c.t.http.post('/v1/metadata/refresh').set(privileged.admin).send({}).expect(200);
    await c.t.http
      .put('/v1/mappings/demo_posted')
      .set(privileged.admin)
      .send({
        targets: [
          { field: 'Opportunity.NextStep', value: 'Demo' },
          { field: 'Chatter.Opportunity', value: 'Demo booked by AICall' },
        ],
      })
      .expect(200);
  });

  it("keeps tenants apart: another tenant's maps and metadata are not found", async () => {
    const other = await addTenant(c.t);
    await c.t.http.get('/v1/mappings/demo_requested').set(other.admin).expect(404);
    await c.t.http.get('/v1/mappings/demo_requested/versions').set(other.admin).expect(404);
    await c.t.http.delete('/v1/mappings/demo_requested').set(other.admin).expect(404);
    expect((await c.t.http.get('/v1/mappings').set(other.admin).expect(200)).body).toEqual([]);
    await c.t.http.get('/v1/metadata/objects/Opportunity').set(other.admin).expect(404);
    const saved = await c.t.http
      .put('/v1/mappings/demo_requested')
      .set(other.admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify('Opportunity.Amount'))
      .expect(422);
    // Its own metadata is missing: for the Opportunity and the Account and Contact written with it.
    expect(saved.body.problems.map((p: { code: string; target: string }) => [p.target, p.code])).toEqual([
      ['Opportunity.Amount', 'METADATA_MISSING'],
      ['Account', 'METADATA_MISSING'],
      ['Contact', 'METADATA_MISSING'],
    ]);
    await c.t.http.get('/v1/mappings/demo_requested').set(c.admin).expect(200);
  });

  it('is for admins only', async () => {
    await c.t.http.get('/v1/mappings').set(c.agent).expect(403);
    await c.t.http.put('/v1/mappings').set(c.agent).send(SEED).expect(403);
    await c.t.http
      .post('/v1/simulations')
      .set(c.agent)
      .send({ script: [{ intent: 'x' }] })
      .expect(403);
    await c.t.http.post('/v1/metadata/refresh').send({}).expect(401);
  });
});

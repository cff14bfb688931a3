import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { SalesforceClient } from '../../src/modules/salesforce/client/salesforce-client';
import { WritePlansService } from '../../src/modules/mapping/services/write-plans.service';
import type { CompositeBody } from '../../src/modules/mapping/plan/write-plan';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { type FieldView, LARGE_ORG_OBJECTS as OBJECTS, largeMapSet } from '../support/large-map-set';

describe('Intent maps at scale, drift, and plans the org accepts', () => {
  let c: ConnectedTenant;

  beforeAll(async () => {
    c = await startConnectedTenant();
    await c.t.http
      .post('/v1/metadata/refresh')
      .set(c.admin)
      .send({ objects: [...OBJECTS, 'Call_Recording__c'] })
      .expect(200);
  });
  afterAll(() => c.close());

  it('imports 250 intents against an org with 200+ custom fields', async () => {
    const objects: Array<{ name: string; fields: FieldView[] }> = [];
    for (const object of [...OBJECTS, 'Call_Recording__c']) {
      const res = await c.t.http.get(`/v1/metadata/objects/${object}`).set(c.admin).expect(200);
      objects.push({ name: object, fields: res.body.fields as FieldView[] });
    }
    const { set, customFields } = largeMapSet(objects);
    expect(customFields).toBeGreaterThanOrEqual(200);
    expect(Object.keys(set)).toHaveLength(250);
    const res = await c.t.http.put('/v1/mappings').set(c.admin).send(set).expect(200);
    expect(res.body.count).toBe(250);
    const list = await c.t.http.get('/v1/mappings').set(c.admin).expect(200);
    expect(list.body).toHaveLength(250);
    expect(list.body.filter((map: { status: string }) => map.status !== 'ok')).toEqual([]);
    const exported = await c.t.http.get('/v1/mappings/export').set(c.admin).expect(200);
    // Re-importing the export changes nothing but the version numbers.
    await c.t.http.put('/v1/mappings').set(c.admin).send(exported.body).expect(200);
    const again = await c.t.http.get('/v1/mappings/export').set(c.admin).expect(200);
    expect(again.body).toEqual(exported.body);
  });

  it('builds plans the org accepts: the critical composite and the queued Task, sent for real', async () => {
    await c.t.http
      .put('/v1/mappings')
      .set(c.admin)
      .send({
        demo_requested: {
          valueType: 'datetime',
          targets: [
            { field: 'Opportunity.Demo_Requested_At__c', value: '$value' },
            { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
            { field: 'Support_Case__c.Severity__c', value: 'S2' },
          ],
        },
        call_summary: 'Task.Description',
        qualified: { routing: false, targets: [{ field: 'Lead.Status', value: 'Working - Contacted' }] },
      })
      .expect(200);
    const plans = c.t.app.get(WritePlansService);
    const client = c.t.app.get(SalesforceClient);
    const caller = { phone: '+14155550199', firstName: 'Grace', lastName: 'Hopper', company: 'Navy' };
    const now = new Date();
    const send = async (body: CompositeBody) => {
      const response = await client.composite(c.tenantId, body);
      expect(response.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode < 300])).toEqual(
        body.compositeRequest.map((s) => [s.referenceId, true]),
      );
      return response;
    };

    const { plan: demo } = await plans.plan(c.tenantId, {
      kind: 'intent',
      intent: 'demo_requested',
      callId: 'real-1',
      now,
      value: '2026-06-01T15:00:00Z',
      caller,
    });
    expect(demo.problems).toEqual([]);
    const [critical] = demo.operations;
    if (critical.kind !== 'composite') throw new Error('expected a composite');
    const first = await send(critical.request.body);
    // Sent again (a retry after a timeout): upserts on the call key update, never duplicate.
    await send(critical.request.body);
    const opportunities = (await control(c.sandbox.demo.instanceUrl, 'GET', '/records/Opportunity'))
      .body as Array<Record<string, unknown>>;
    const mine = opportunities.filter((o) => o.AICall_External_Id__c === `${c.tenantId}:real-1`);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      StageName: 'Demo Scheduled',
      Demo_Requested_At__c: expect.stringContaining('2026-06-01T15:00:00'),
    });

    // The write path passes what earlier writes of the call created (from its outbox).
    const ids = Object.fromEntries(
      first.compositeResponse.map((r) => [r.referenceId.replace(/^ref/, ''), (r.body as { id: string }).id]),
    );
    const { plan: summary } = await plans.plan(c.tenantId, {
      kind: 'intent',
      intent: 'call_summary',
      callId: 'real-1',
      now,
      value: 'Demo booked',
      caller,
      records: ids,
    });
    const [task] = summary.operations;
    if (task.kind !== 'composite') throw new Error('expected a composite');
    await send(task.request.body);
    const tasks = (await control(c.sandbox.demo.instanceUrl, 'GET', '/records/Task')).body as Array<
      Record<string, unknown>
    >;
    expect(tasks.filter((t) => t.AICall_External_Id__c === `${c.tenantId}:real-1`)).toEqual([
      expect.objectContaining({ Description: 'Demo booked', WhoId: ids.Contact, WhatId: ids.Opportunity }),
    ]);

    // Lead routing: FALSE keeps the integration user as owner; TRUE lets the org's assignment rule route it.
    await c.t.http
      .put('/v1/mappings/qualified_routed')
      .set(c.admin)
      .send({ routing: true, targets: [{ field: 'Lead.Status', value: 'Working - Contacted' }] })
      .expect(200);
    const owners: Record<string, unknown> = {};
    for (const [intent, callId] of [
      ['qualified', 'real-2'],
      ['qualified_routed', 'real-3'],
    ]) {
      // A caller each: the org's duplicate rules would match the second Lead to the first (same name, company).
      const { plan } = await plans.plan(c.tenantId, {
        kind: 'intent',
        intent,
        callId,
        now,
        caller: { ...caller, firstName: `Grace ${callId}` },
      });
      const [operation] = plan.operations;
      if (operation.kind !== 'composite') throw new Error('expected a composite');
      await send(operation.request.body);
      const leads = (await control(c.sandbox.demo.instanceUrl, 'GET', '/records/Lead')).body as Array<
        Record<string, unknown>
      >;
      const lead = leads.find((l) => l.AICall_External_Id__c === `${c.tenantId}:${callId}`)!;
      expect(lead.Status).toBe('Working - Contacted');
      owners[intent] = lead.OwnerId === lead.CreatedById ? 'integration user' : 'routed';
    }
    expect(owners).toEqual({ qualified: 'integration user', qualified_routed: 'routed' });
  });

  it('detects drift when a field changes in the org, and flags the broken maps', async () => {
    await c.t.http
      .put('/v1/mappings/drifting')
      .set(c.admin)
      .send({
        valueType: 'datetime',
        targets: [{ field: 'Opportunity.Demo_Requested_At__c', value: '$value' }],
      })
      .expect(200);
    const changed = await control(
      c.sandbox.demo.instanceUrl,
      'PATCH',
      '/objects/Opportunity/fields/Demo_Requested_At__c',
      {
        type: 'boolean',
        soapType: 'xsd:boolean',
      },
    );
    expect(changed.status).toBe(200);
    try {
      const refreshed = await c.t.http
        .post('/v1/metadata/refresh')
        .set(c.admin)
        .send({ objects: ['Opportunity'] })
        .expect(200);
      expect(refreshed.body.changes).toContainEqual({
        object: 'Opportunity',
        field: 'Demo_Requested_At__c',
        change: 'changed',
        keys: ['type'],
      });
      const broken = refreshed.body.drift.find((entry: { intent: string }) => entry.intent === 'drifting');
      expect(broken.problems).toEqual([
        expect.objectContaining({ code: 'TYPE_INCOMPATIBLE', target: 'Opportunity.Demo_Requested_At__c' }),
      ]);

      const list = await c.t.http.get('/v1/mappings').set(c.admin).expect(200);
      const drifting = list.body.find((map: { intent: string }) => map.intent === 'drifting');
      expect(drifting).toMatchObject({
        status: 'broken',
        drift: [expect.objectContaining({ code: 'TYPE_INCOMPATIBLE' })],
      });
      const sim = await c.t.http
        .post('/v1/simulations')
        .set(c.admin)
        .send({ script: [{ intent: 'drifting', value: '2026-06-01T15:00:00Z' }] })
        .expect(200);
      expect(sim.body.steps[0].problems).toEqual([expect.objectContaining({ code: 'TYPE_INCOMPATIBLE' })]);
    } finally {
      await control(c.sandbox.demo.instanceUrl, 'POST', '/reset');
    }
    const healed = await c.t.http
      .post('/v1/metadata/refresh')
      .set(c.admin)
      .send({ objects: ['Opportunity'] })
      .expect(200);
    expect(
      healed.body.drift.find((entry: { intent: string }) => entry.intent === 'drifting'),
    ).toBeUndefined();
  });
});

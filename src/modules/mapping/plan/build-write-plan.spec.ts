import { unsafeTextReason } from '../../../common/http/unsafe-text';
import { fixtureCatalog } from '../testing/metadata-fixture';
import type { IntentMapDefinition } from '../rules/intent-map-definition';
import { cutToLength } from '../rules/sobject-rules';
import { buildWritePlan, callExternalId } from './build-write-plan';
import type { CompositeBody, IntentMapVersionRef, WritePlanInput } from './write-plan';

const TENANT = '7d3c1c1e-0000-4000-8000-000000000001';
const base: WritePlanInput = {
  tenantId: TENANT,
  callId: 'call-42',
  apiVersion: '62.0',
  now: new Date('2026-05-14T10:00:00.000Z'),
  caller: { phone: '+14155551212', firstName: 'Ada', lastName: 'Lovelace', company: 'Engines Ltd' },
};
const KEY = encodeURIComponent(`${TENANT}:call-42`);
const V = '/services/data/v62.0';

function version(definition: Partial<IntentMapDefinition>, intent = 'demo_requested'): IntentMapVersionRef {
  return {
    id: 'version-id',
    intent,
    version: 3,
    definition: {
      mode: 'critical',
      valueType: 'none',
      routing: false,
      externalIdField: 'AICall_External_Id__c',
      targets: [],
      ...definition,
    },
  };
}

const plan = (definition: Partial<IntentMapDefinition>, input: Partial<WritePlanInput> = {}) =>
  buildWritePlan(version(definition), fixtureCatalog(), { ...base, ...input });

const compositeOf = (operation: unknown) => (operation as { request: { body: CompositeBody } }).request.body;

describe('buildWritePlan', () => {
  it('writes Account, Contact and Opportunity in ONE allOrNone composite, upserted on the call key, with references', () => {
    const result = plan(
      {
        valueType: 'datetime',
        targets: [
          { field: 'Opportunity.Demo_Requested_At__c', value: '$value' },
          { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
        ],
      },
      { value: '2026-05-20T09:00:00Z' },
    );
    expect(result).toMatchObject({
      intent: 'demo_requested',
      mapVersionId: 'version-id',
      mapVersion: 3,
      mode: 'critical',
      problems: [],
    });
    expect(result.operations).toHaveLength(1);
    const [operation] = result.operations;
    expect(operation).toMatchObject({ kind: 'composite', dispatch: 'in-call' });
    if (operation.kind !== 'composite') return;
    expect(operation.request.method).toBe('POST');
    expect(operation.request.url).toBe(`${V}/composite`);
    expect(operation.request.body).toEqual({
      allOrNone: true,
      collateSubrequests: false,
      compositeRequest: [
        {
          method: 'PATCH',
          url: `${V}/sobjects/Account/AICall_External_Id__c/${KEY}`,
          referenceId: 'refAccount',
          body: { Name: 'Engines Ltd', Phone: '+14155551212' },
          // Absent, the header means TRUE for Accounts too (salesforce-rest.md §7): the owner would move.
          httpHeaders: { 'Sforce-Auto-Assign': 'FALSE' },
        },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Contact/AICall_External_Id__c/${KEY}`,
          referenceId: 'refContact',
          body: {
            FirstName: 'Ada',
            LastName: 'Lovelace',
            Phone: '+14155551212',
            AccountId: '@{refAccount.id}',
          },
        },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Opportunity/AICall_External_Id__c/${KEY}`,
          referenceId: 'refOpportunity',
          body: {
            Name: 'Engines Ltd - call call-42',
            StageName: 'Demo Scheduled',
            CloseDate: '2026-06-13',
            AccountId: '@{refAccount.id}',
            Demo_Requested_At__c: '2026-05-20T09:00:00Z',
          },
        },
      ],
    });
    expect(operation.records.map((record) => record.object)).toEqual(['Account', 'Contact', 'Opportunity']);
    expect(callExternalId(TENANT, 'call-42')).toBe(`${TENANT}:call-42`);
  });

  it('updates records the call already knows by id, and refers to them by id', () => {
    const result = plan(
      {
        targets: [
          { field: 'Opportunity.Amount', value: 5000 },
          { field: 'Contact.Email', value: '$caller.email' },
        ],
      },
      {
        records: { Account: '001000000000001AAA', Contact: '003000000000001AAA' },
        caller: { email: 'ada@example.com' },
      },
    );
    const body = compositeOf(result.operations[0]);
    expect(body.compositeRequest).toEqual([
      {
        method: 'PATCH',
        url: `${V}/sobjects/Contact/003000000000001AAA`,
        referenceId: 'refContact',
        body: { Email: 'ada@example.com' },
      },
      expect.objectContaining({
        url: `${V}/sobjects/Opportunity/AICall_External_Id__c/${KEY}`,
        body: expect.objectContaining({ AccountId: '001000000000001AAA', Amount: 5000 }),
      }),
    ]);
  });

  it('creates a Lead for an unknown caller, with Sforce-Auto-Assign FALSE unless the map routes', () => {
    const quiet = plan(
      { valueType: 'picklist', targets: [{ field: 'Lead.Status', value: '$value' }] },
      { value: 'Working - Contacted' },
    );
    const [lead] = compositeOf(quiet.operations[0]).compositeRequest;
    expect(lead).toEqual({
      method: 'PATCH',
      url: `${V}/sobjects/Lead/AICall_External_Id__c/${KEY}`,
      referenceId: 'refLead',
      body: {
        FirstName: 'Ada',
        LastName: 'Lovelace',
        Phone: '+14155551212',
        Company: 'Engines Ltd',
        Status: 'Working - Contacted',
      },
      httpHeaders: { 'Sforce-Auto-Assign': 'FALSE' },
    });
    const routed = plan({ routing: true, targets: [{ field: 'Lead.Status', value: 'Working - Contacted' }] });
    expect(compositeOf(routed.operations[0]).compositeRequest[0].httpHeaders).toEqual({
      'Sforce-Auto-Assign': 'TRUE',
    });
  });

  it('leaves Lead targets out for a caller who is a known Contact, with a note', () => {
    const result = plan(
      { targets: [{ field: 'Lead.Status', value: 'Working - Contacted' }] },
      { records: { Contact: '003000000000001AAA' } },
    );
    expect(result.operations).toEqual([]);
    expect(result.notes.join()).toMatch(/known Contact/);
  });

  it('queues Task writes as their own composite that finds Who and What by the call key', () => {
    const result = plan(
      {
        mode: 'deferred',
        valueType: 'text',
        targets: [
          { field: 'Task.Description', value: '$value' },
          { field: 'Contact.Email', value: 'a@b.co' },
        ],
      },
      { value: 'Caller wants a demo' },
    );
    expect(result.operations.map((op) => [op.kind, op.dispatch])).toEqual([
      ['composite', 'queued'],
      ['composite', 'queued'],
    ]);
    expect(compositeOf(result.operations[1]).compositeRequest).toEqual([
      {
        method: 'GET',
        url: `${V}/sobjects/Contact/AICall_External_Id__c/${KEY}?fields=Id`,
        referenceId: 'refWho',
      },
      {
        method: 'GET',
        url: `${V}/sobjects/Account/AICall_External_Id__c/${KEY}?fields=Id`,
        referenceId: 'refWhat',
      },
      {
        method: 'PATCH',
        url: `${V}/sobjects/Task/AICall_External_Id__c/${KEY}`,
        referenceId: 'refTask',
        body: {
          Subject: 'Call',
          WhoId: '@{refWho.Id}',
          WhatId: '@{refWhat.Id}',
          Description: 'Caller wants a demo',
        },
      },
    ]);
  });

  it('gives a Task on a known Lead no WhatId', () => {
    const result = plan(
      { targets: [{ field: 'Task.Description', value: 'x' }] },
      { records: { Lead: '00Q000000000001AAA', Opportunity: '006000000000001AAA' } },
    );
    const task = compositeOf(result.operations[0]).compositeRequest;
    expect(task).toHaveLength(1);
    expect(task[0].body).toEqual({ Subject: 'Call', WhoId: '00Q000000000001AAA', Description: 'x' });
  });

  it('queues Chatter posts on the call record, fetching it by key when only the key is known', () => {
    const result = plan({
      targets: [
        { field: 'Opportunity.Amount', value: 1 },
        { field: 'Chatter.Opportunity', value: 'Demo booked' },
      ],
    });
    const post = result.operations[1];
    expect(post).toMatchObject({ kind: 'chatter-post', dispatch: 'queued' });
    if (post.kind !== 'chatter-post') return;
    expect(post.requests).toEqual([
      { method: 'GET', url: `${V}/sobjects/Opportunity/AICall_External_Id__c/${KEY}?fields=Id` },
      {
        method: 'POST',
        url: `${V}/chatter/feed-elements`,
        body: {
          feedElementType: 'FeedItem',
          subjectId: '@{subject.Id}',
          body: { messageSegments: [{ type: 'Text', text: 'Demo booked' }] },
        },
      },
    ]);
    const none = plan({ targets: [{ field: 'Chatter.Opportunity', value: 'x' }] });
    expect(none.operations).toEqual([]);
    expect(none.notes.join()).toMatch(/no Opportunity/);
  });

  it('links custom objects to the records of the call and upserts them on the key', () => {
    const result = plan({
      targets: [
        { field: 'Account.Phone', value: '$caller.phone' },
        { field: 'Support_Case__c.Severity__c', value: 'S2' },
      ],
    });
    const [, custom] = compositeOf(result.operations[0]).compositeRequest;
    expect(custom).toEqual({
      method: 'PATCH',
      url: `${V}/sobjects/Support_Case__c/AICall_External_Id__c/${KEY}`,
      referenceId: 'refSupport_Case__c',
      body: { Account__c: '@{refAccount.id}', Severity__c: 'S2' },
    });
  });

  it('reports a missing or mistyped value as a blocking problem, and notes what the call lacked', () => {
    const def = {
      valueType: 'datetime' as const,
      targets: [
        { field: 'Opportunity.Demo_Requested_At__c', value: '$value' },
        { field: 'Contact.Email', value: '$caller.email' },
      ],
    };
    expect(plan(def).problems).toEqual([expect.objectContaining({ code: 'VALUE_MISSING' })]);
    expect(plan(def, { value: 'tomorrow' }).problems).toEqual([
      expect.objectContaining({ code: 'VALUE_TYPE_INVALID' }),
    ]);
    expect(plan(def, { value: '2026-05-20T09:00:00Z' }).notes.join()).toMatch(/Contact.Email left out/);
  });

  it("writes a target's default when the agent sends only the intent, and the agent's value when it fits", () => {
    const def = {
      valueType: 'datetime' as const,
      targets: [{ field: 'Opportunity.Demo_Requested_At__c', value: '$value', default: '$now' }],
    };
    const written = (input: Partial<WritePlanInput>) => {
      const result = plan(def, input);
      const body = compositeOf(result.operations[0]).compositeRequest.at(-1)?.body;
      return { problems: result.problems, value: body?.Demo_Requested_At__c };
    };
    expect(written({})).toEqual({ problems: [], value: '2026-05-14T10:00:00.000Z' });
    expect(written({ value: '2026-05-20T09:00:00Z' })).toEqual({
      problems: [],
      value: '2026-05-20T09:00:00Z',
    });
    expect(written({ value: 'next tuesday' }).problems).toEqual([
      expect.objectContaining({ code: 'VALUE_TYPE_INVALID' }),
    ]);
  });

  it('accepts only the picklist values of the target, and names them when refusing', () => {
    const def = {
      valueType: 'picklist' as const,
      targets: [{ field: 'Opportunity.StageName', value: '$value' }],
    };
    const allowed = '(one of: "Prospecting", "Qualification", "Demo Scheduled", "Closed Won")';
    expect(plan(def, { value: 'Demo Scheduled' }).problems).toEqual([]);
    expect(plan(def, { value: 'Ready' }).problems).toEqual([
      {
        field: 'value',
        code: 'VALUE_NOT_ALLOWED',
        message: `"Ready" is not a value of this picklist ${allowed}`,
      },
    ]);
    expect(plan(def).problems).toEqual([
      { field: 'value', code: 'VALUE_MISSING', message: `this intent needs a picklist value ${allowed}` },
    ]);
  });

  it('resolves $now, $today, payload and call facts, joins multi-select lists and cuts long texts', () => {
    const result = plan(
      {
        targets: [
          { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
          { field: 'Opportunity.CloseDate', value: '$today' },
          { field: 'Opportunity.Amount', value: '$payload.budget' },
          { field: 'Opportunity.Name', value: '$payload.title' },
        ],
      },
      { payload: { budget: 1200, title: 'x'.repeat(200) } },
    );
    const opportunity = compositeOf(result.operations[0]).compositeRequest[2].body;
    expect(opportunity).toMatchObject({
      Demo_Requested_At__c: '2026-05-14T10:00:00.000Z',
      CloseDate: '2026-05-14',
      Amount: 1200,
      Name: 'x'.repeat(120),
    });
    expect(result.notes.join()).toMatch(/cut to its 120 characters/);
  });

  it("lets saves through the org's duplicate rules only under the allow policy", () => {
    const targets = [{ field: 'Opportunity.StageName', value: 'Demo Scheduled' }];
    const headersOf = (duplicates?: 'allow' | 'fail' | 'use_matched') => {
      const [operation] = plan({ targets, ...(duplicates && { duplicates }) }).operations;
      expect(operation).toMatchObject({ kind: 'composite', duplicates: duplicates ?? 'use_matched' });
      return compositeOf(operation).compositeRequest.map((sub) => sub.httpHeaders);
    };
    expect(headersOf('allow')).toEqual([
      { 'Sforce-Auto-Assign': 'FALSE', 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
      { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
      { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
    ]);
    expect(headersOf()).toEqual([{ 'Sforce-Auto-Assign': 'FALSE' }, undefined, undefined]);
    expect(headersOf('fail')).toEqual([{ 'Sforce-Auto-Assign': 'FALSE' }, undefined, undefined]);
  });

  it('never cuts a long text inside a surrogate pair (half an emoji is not valid Unicode)', () => {
    const title = '\u202e' + '😀'.repeat(60) + 'abc';
    const result = plan(
      { targets: [{ field: 'Opportunity.Name', value: '$payload.title' }] },
      { payload: { title } },
    );
    const name = compositeOf(result.operations[0]).compositeRequest[2].body?.Name as string;
    expect(name).toBe('\u202e' + '😀'.repeat(59));
    expect(unsafeTextReason(name)).toBeUndefined();
  });

  it('cutToLength keeps whole characters and cuts plain text exactly', () => {
    expect(cutToLength('abcdef', 3)).toBe('abc');
    expect(cutToLength('a😀b', 2)).toBe('a');
    expect(cutToLength('a😀b', 3)).toBe('a😀');
  });

  it('is deterministic: the same inputs give the same plan', () => {
    const def = {
      targets: [
        { field: 'Opportunity.Amount', value: 1 },
        { field: 'Task.Description', value: 'x' },
      ],
    };
    expect(plan(def)).toEqual(plan(def));
  });

  it('uses the external-ID field the map names', () => {
    const result = plan({
      externalIdField: 'Other_Key__c',
      targets: [{ field: 'Account.Phone', value: '1' }],
    });
    expect(compositeOf(result.operations[0]).compositeRequest[0].url).toBe(
      `${V}/sobjects/Account/Other_Key__c/${KEY}`,
    );
  });
});

import { fieldMeta, fixtureObjects } from '../testing/metadata-fixture';
import type { CompositeBody, IntentMapVersionRef, WritePlanInput } from '../plan/write-plan';
import { MetadataCatalog } from './field-metadata';
import type { SObjectRule } from './sobject-rules';
import {
  CHATTER_SUBJECT_OBJECTS,
  DEFAULT_DESCRIBED_OBJECTS,
  DEFERRED_SOBJECTS,
  objectsWritten,
  planSuppliedFields,
  taskReferenceObjects,
} from './written-objects';

describe('what derives from the sObject table', () => {
  it('gives the record chain parents first, then objects outside the table in target order', () => {
    expect(objectsWritten(['Opportunity'])).toEqual(['Account', 'Contact', 'Opportunity']);
    expect(objectsWritten(['Contact'])).toEqual(['Account', 'Contact']);
    expect(objectsWritten(['Zeta__c', 'Lead', 'Alpha__c', 'Chatter', 'Account'])).toEqual([
      'Account',
      'Lead',
      'Zeta__c',
      'Alpha__c',
    ]);
  });

  it('lists the fields the plan supplies: create defaults, parent lookups, the Task references', () => {
    expect(planSuppliedFields('Account')).toEqual(['Name', 'Phone']);
    expect(planSuppliedFields('Contact')).toEqual(['FirstName', 'LastName', 'Phone', 'Email', 'AccountId']);
    expect(planSuppliedFields('Opportunity')).toEqual([
      'Name',
      'StageName',
      'CloseDate',
      'AccountId',
      'ContactId',
    ]);
    expect(planSuppliedFields('Lead')).toEqual(['FirstName', 'LastName', 'Phone', 'Email', 'Company']);
    expect(planSuppliedFields('Task')).toEqual(['Subject', 'WhoId', 'WhatId']);
    expect(planSuppliedFields('Custom__c')).toEqual([]);
  });

  it('derives deferral, Chatter subjects, Who/What preference and the default described objects', () => {
    expect(DEFERRED_SOBJECTS).toEqual(['Task']);
    expect(CHATTER_SUBJECT_OBJECTS).toEqual(['Account', 'Contact', 'Opportunity', 'Lead']);
    expect(taskReferenceObjects('WhoId')).toEqual(['Contact', 'Lead']);
    expect(taskReferenceObjects('WhatId')).toEqual(['Opportunity', 'Account']);
    expect(DEFAULT_DESCRIBED_OBJECTS).toEqual(['Account', 'Contact', 'Opportunity', 'Lead', 'Task']);
  });
});

describe('adding a written sObject is one table entry', () => {
  /** A made-up entry: a Quote under the call's Opportunity, preferred as the Task's What. */
  const QUOTE: SObjectRule = {
    parents: ['Opportunity'],
    deferred: false,
    autoAssigned: true,
    chatterSubject: true,
    describedByDefault: true,
    taskRole: { field: 'WhatId', rank: 0 },
    createDefaults: { Name: ({ callId }) => `Quote for ${callId}` },
  };

  /** The mapping rules and the plan, loaded afresh with the table plus the Quote entry. */
  async function withQuoteEntry() {
    let loaded!: {
      derived: typeof import('./written-objects');
      definition: typeof import('./intent-map-definition');
      plan: typeof import('../plan/build-write-plan');
    };
    await jest.isolateModulesAsync(async () => {
      jest.doMock('./sobject-rules', () => {
        const actual = jest.requireActual<typeof import('./sobject-rules')>('./sobject-rules');
        return { ...actual, SOBJECT_RULES: { ...actual.SOBJECT_RULES, Quote: QUOTE } };
      });
      loaded = {
        derived: await import('./written-objects'),
        definition: await import('./intent-map-definition'),
        plan: await import('../plan/build-write-plan'),
      };
    });
    return loaded;
  }

  const catalog = new MetadataCatalog([
    ...fixtureObjects(),
    {
      name: 'Quote',
      label: 'Quote',
      found: true,
      refreshedAt: new Date('2026-01-01T00:00:00Z'),
      fields: [
        fieldMeta('Name', 'string', { nillable: false }),
        fieldMeta('Status', 'picklist', { picklistValues: ['Draft', 'Presented'] }),
        fieldMeta('OpportunityId', 'reference', { referenceTo: ['Opportunity'] }),
        fieldMeta('AICall_External_Id__c', 'string', { externalId: true }),
      ],
    },
  ]);
  const input: WritePlanInput = {
    tenantId: 'tenant-1',
    callId: 'call-1',
    apiVersion: '62.0',
    now: new Date('2026-05-14T10:00:00.000Z'),
    caller: { phone: '+14155551212', lastName: 'Lovelace' },
  };
  const version = (targets: IntentMapVersionRef['definition']['targets']): IntentMapVersionRef => ({
    id: 'v1',
    intent: 'quote_requested',
    version: 1,
    definition: {
      mode: 'critical',
      valueType: 'none',
      routing: false,
      externalIdField: 'AICall_External_Id__c',
      targets,
    },
  });

  it('puts the new object in the chain, the supplied fields, the Chatter subjects and the Task What', async () => {
    const { derived, definition } = await withQuoteEntry();
    expect(derived.objectsWritten(['Quote'])).toEqual(['Account', 'Contact', 'Opportunity', 'Quote']);
    expect(derived.planSuppliedFields('Quote')).toEqual(['Name', 'OpportunityId']);
    expect(definition.CHATTER_SUBJECTS).toContain('Quote');
    expect(derived.taskReferenceObjects('WhatId')).toEqual(['Quote', 'Opportunity', 'Account']);
    expect(derived.DEFAULT_DESCRIBED_OBJECTS).toContain('Quote');
  });

  it('writes it in the call composite after its parents, with its defaults, parent reference and headers', async () => {
    const { plan } = await withQuoteEntry();
    const result = plan.buildWritePlan(
      version([{ field: 'Quote.Status', value: 'Presented' }]),
      catalog,
      input,
    );
    expect(result.problems).toEqual([]);
    const [composite, ...rest] = result.operations;
    expect(rest).toEqual([]);
    const body = (composite as { request: { body: CompositeBody } }).request.body;
    expect(body.compositeRequest.map((sub) => sub.referenceId)).toEqual([
      'refAccount',
      'refContact',
      'refOpportunity',
      'refQuote',
    ]);
    expect(body.compositeRequest[3]).toMatchObject({
      body: { Name: 'Quote for call-1', Status: 'Presented', OpportunityId: '@{refOpportunity.id}' },
      httpHeaders: { 'Sforce-Auto-Assign': 'FALSE' },
    });
  });

  it('makes the call Task point at it as What', async () => {
    const { plan } = await withQuoteEntry();
    const result = plan.buildWritePlan(
      version([
        { field: 'Quote.Status', value: 'Draft' },
        { field: 'Task.Description', value: 'Quote sent' },
      ]),
      catalog,
      { ...input, records: { Quote: '0Q0000000000001' } },
    );
    const task = result.operations.find(
      (operation) => operation.kind === 'composite' && operation.dispatch === 'queued',
    );
    const body = (task as { request: { body: CompositeBody } }).request.body;
    expect(body.compositeRequest.at(-1)?.body).toMatchObject({ WhatId: '0Q0000000000001' });
  });
});

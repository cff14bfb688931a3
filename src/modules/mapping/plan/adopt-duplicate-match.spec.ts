import { fixtureCatalog } from '../testing/metadata-fixture';
import { adoptDuplicateMatch } from './adopt-duplicate-match';
import { buildWritePlan } from './build-write-plan';
import type { PlannedOperation } from './write-plan';

const TENANT = '7d3c1c1e-0000-4000-8000-000000000001';
const V = '/services/data/v62.0';

function leadComposite() {
  const plan = buildWritePlan(
    {
      id: 'v1',
      intent: 'qualified',
      version: 1,
      definition: {
        mode: 'critical',
        valueType: 'none',
        routing: false,
        externalIdField: 'AICall_External_Id__c',
        targets: [
          { field: 'Lead.Status', value: 'Qualified' },
          { field: 'Opportunity.StageName', value: 'Qualification' },
        ],
      },
    },
    fixtureCatalog(),
    {
      tenantId: TENANT,
      callId: 'call-7',
      apiVersion: '62.0',
      now: new Date('2026-05-14T10:00:00.000Z'),
      caller: { phone: '+14155551212', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@engines.example' },
    },
  );
  return plan.operations[0] as Extract<PlannedOperation, { kind: 'composite' }>;
}

describe('adoptDuplicateMatch', () => {
  it('updates the matched record by id with only the targeted fields, and points later references at it', () => {
    const operation = leadComposite();
    const refs = operation.request.body.compositeRequest.map((sub) => sub.referenceId);
    expect(refs).toContain('refLead');
    const adopted = adoptDuplicateMatch(operation, 'refLead', '00Q000000000001AAA');
    expect(adopted).not.toBeNull();
    const lead = adopted!.request.body.compositeRequest.find((sub) => sub.referenceId === 'refLead');
    expect(lead).toEqual({
      method: 'PATCH',
      url: `${V}/sobjects/Lead/00Q000000000001AAA`,
      referenceId: 'refLead',
      body: { Status: 'Qualified' },
      httpHeaders: { 'Sforce-Auto-Assign': 'FALSE' },
    });
    expect(JSON.stringify(adopted!.request.body)).not.toContain('@{refLead.id}');
    expect(adopted!.records.find((record) => record.referenceId === 'refLead')).toEqual({
      object: 'Lead',
      referenceId: 'refLead',
      how: 'update',
      id: '00Q000000000001AAA',
    });
  });

  it('drops a matched record the map writes nothing on, and replaces its references by the id', () => {
    const operation = leadComposite();
    // The chain creates an Account for the Opportunity; the map targets no Account field.
    expect(operation.request.body.compositeRequest.map((sub) => sub.referenceId)).toContain('refAccount');
    const adopted = adoptDuplicateMatch(operation, 'refAccount', '001000000000001AAA')!;
    expect(adopted.request.body.compositeRequest.map((sub) => sub.referenceId)).not.toContain('refAccount');
    const opportunity = adopted.request.body.compositeRequest.find(
      (sub) => sub.referenceId === 'refOpportunity',
    );
    expect(opportunity?.body?.AccountId).toBe('001000000000001AAA');
  });

  it('refuses what the composite does not create', () => {
    const operation = leadComposite();
    expect(adoptDuplicateMatch(operation, 'refNothing', '00Q000000000001AAA')).toBeNull();
    const once = adoptDuplicateMatch(operation, 'refLead', '00Q000000000001AAA')!;
    expect(adoptDuplicateMatch(once, 'refLead', '00Q000000000002AAA')).toBeNull();
  });
});

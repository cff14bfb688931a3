import { fixtureCatalog } from '../testing/metadata-fixture';
import { autoMap, normaliseName } from './auto-map';
import { MetadataCatalog } from './field-metadata';

describe('autoMap', () => {
  it('normalises API names and field names alike', () => {
    expect(normaliseName('demo_requested_at')).toBe('demorequestedat');
    expect(normaliseName('Demo_Requested_At__c')).toBe('demorequestedat');
    expect(normaliseName('DemoRequestedAt')).toBe('demorequestedat');
  });

  it('maps names that match a compatible, writable field', () => {
    const result = autoMap(
      { demo_requested_at: 'datetime', next_step_count: 'integer', close_date: 'date' },
      fixtureCatalog(),
    );
    expect(result.mapped).toEqual({
      demo_requested_at: 'Opportunity.Demo_Requested_At__c',
      next_step_count: 'Opportunity.Next_Step_Count__c',
      close_date: 'Opportunity.CloseDate',
    });
    expect(result.valueTypes.demo_requested_at).toBe('datetime');
    expect(result.unmapped).toEqual([]);
  });

  it('leaves out, with the reason: no match, wrong type, read-only, ambiguity, unknown hint', () => {
    const result = autoMap(
      {
        favourite_colour: 'string',
        demo_requested_at: 'boolean',
        is_converted: 'boolean',
        budget: 'currency',
        amount: 'weird',
      },
      fixtureCatalog(),
    );
    expect(result.mapped).toEqual({});
    const reasons = Object.fromEntries(result.unmapped.map((entry) => [entry.name, entry.reason]));
    expect(reasons.favourite_colour).toMatch(/no field named like/);
    expect(reasons.demo_requested_at).toMatch(/Opportunity.Demo_Requested_At__c is datetime/);
    expect(reasons.is_converted).toMatch(/Lead.IsConverted is not writable/);
    expect(reasons.budget).toMatch(/ambiguous: Account.Budget__c, Contact.Budget__c/);
    expect(reasons.amount).toMatch(/unknown type hint/);
  });

  it('resolves ambiguity by the order of the objects given', () => {
    const result = autoMap({ budget: 'currency' }, fixtureCatalog(), ['Contact', 'Account']);
    expect(result.mapped).toEqual({ budget: 'Contact.Budget__c' });
  });

  it('says when no metadata is loaded', () => {
    const result = autoMap({ budget: 'currency' }, new MetadataCatalog([]));
    expect(result.unmapped[0].reason).toMatch(/no field metadata loaded/);
    const named = autoMap({ budget: 'currency' }, new MetadataCatalog([]), ['Opportunity']);
    expect(named.unmapped[0].reason).toMatch(/no metadata for Opportunity/);
  });
});

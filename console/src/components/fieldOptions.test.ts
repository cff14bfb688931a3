import {
  fieldOptions,
  matchesSearch,
  valueSuggestions,
  type FieldMetadata,
  type ObjectMetadata,
} from './fieldOptions';
import { fieldMeta } from '../../../src/modules/mapping/testing/metadata-fixture';

// The server's own test fixture (labels with spaces, as an org shows them): the API sends this shape.
const field = (name: string, type: string, extra: Partial<FieldMetadata> = {}): FieldMetadata =>
  fieldMeta(name, type, { label: name.replace(/_/g, ' '), length: null, ...extra });

const objects: ObjectMetadata[] = [
  {
    name: 'Opportunity',
    label: 'Opportunity',
    found: true,
    refreshedAt: '2026-01-01T00:00:00.000Z',
    fields: [
      field('Demo_Requested_At__c', 'datetime'),
      field('Description', 'textarea'),
      field('StageName', 'picklist', {
        restrictedPicklist: true,
        picklistValues: ['Prospecting', 'Closed Won'],
      }),
      field('CreatedDate', 'datetime', { createable: false, updateable: false }),
      field('Id', 'id', { createable: false, updateable: false }),
    ],
  },
  { name: 'Missing__c', label: 'Missing', found: false, refreshedAt: '2026-01-01T00:00:00.000Z', fields: [] },
];

const reasons = (valueType: Parameters<typeof fieldOptions>[1]) =>
  Object.fromEntries(fieldOptions(objects, valueType).map((option) => [option.value, option.disabledReason]));

describe('fieldOptions', () => {
  it("disables the fields a value type cannot go into, with the API's own compatibility table", () => {
    expect(reasons('text')).toEqual({
      'Opportunity.Demo_Requested_At__c': 'a text value cannot go into a datetime field',
      'Opportunity.Description': null,
      'Opportunity.StageName': 'a text value cannot go into a restricted picklist field',
      'Opportunity.CreatedDate': 'read-only field',
      'Opportunity.Id': 'read-only field',
    });
    expect(reasons('datetime')['Opportunity.Demo_Requested_At__c']).toBeNull();
    expect(reasons('picklist')['Opportunity.StageName']).toBeNull();
  });

  it('searches by every word typed, in the API name or the label', () => {
    const options = fieldOptions(objects, null);
    const found = (search: string) =>
      options.filter((option) => matchesSearch(option, search)).map((option) => option.value);
    expect(found('demo requested')).toEqual(['Opportunity.Demo_Requested_At__c']);
    expect(found('opportunity stage')).toEqual(['Opportunity.StageName']);
    expect(found('nothing like this')).toEqual([]);
  });

  it('suggests expressions, then the picklist values of the chosen field', () => {
    const stage = objects[0].fields[2];
    expect(valueSuggestions(stage).slice(0, 3)).toEqual(['$value', '$now', '$today']);
    expect(valueSuggestions(stage).slice(-2)).toEqual(['Prospecting', 'Closed Won']);
  });
});

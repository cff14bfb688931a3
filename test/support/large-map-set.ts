import { naturalValueType } from '../../src/modules/mapping/rules/type-compatibility';

/** The seeded org's objects a large customer maps (standard objects and two custom ones). */
export const LARGE_ORG_OBJECTS = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'Task',
  'Product_Interest__c',
  'Support_Case__c',
];

export interface FieldView {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
}

/**
 * A short-form map for every writable custom field that has a natural type hint, topped up to `size` intents
 * with full-form Opportunity maps: the "200+ custom fields" customer of the product guide.
 */
export function largeMapSet(
  objects: Array<{ name: string; fields: FieldView[] }>,
  size = 250,
): { set: Record<string, unknown>; customFields: number; targets: number } {
  const set: Record<string, unknown> = {};
  let customFields = 0;
  let targets = 0;
  for (const object of objects) {
    const custom = object.fields.filter((field) => field.name.endsWith('__c'));
    customFields += custom.length;
    if (!LARGE_ORG_OBJECTS.includes(object.name)) continue;
    for (const field of custom) {
      if (field.externalId || !field.createable || !field.updateable || !naturalValueType(field)) continue;
      set[`${object.name}_${field.name}`.toLowerCase()] = `${object.name}.${field.name}`;
      targets += 1;
    }
  }
  for (let i = Object.keys(set).length; i < size; i++) {
    set[`follow_up_${i}`] = {
      valueType: 'none',
      targets: [
        { field: 'Opportunity.NextStep', value: `Follow-up ${i}` },
        { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
      ],
    };
    targets += 2;
  }
  return { set, customFields, targets };
}

import { MetadataCatalog, type FieldMetadata } from './field-metadata';
import type { IntentMapDefinition } from './intent-map-definition';
import { fieldMeta } from '../testing/metadata-fixture';
import { buildSampleScript, SAMPLE_CALLER } from './sample-script';

const field = (name: string, type: string, picklistValues: string[] = []): FieldMetadata =>
  fieldMeta(name, type, { length: null, picklistValues });

const catalog = new MetadataCatalog([
  {
    name: 'Lead',
    label: 'Lead',
    found: true,
    refreshedAt: new Date(),
    fields: [field('Status', 'picklist', ['Open', 'Qualified'])],
  },
]);

const map = (valueType: IntentMapDefinition['valueType'], field = 'Lead.Status'): IntentMapDefinition => ({
  mode: 'critical',
  valueType,
  targets: [{ field, value: '$value' }],
  routing: false,
  externalIdField: 'AICall_External_Id__c',
});

describe('buildSampleScript', () => {
  const now = new Date('2026-03-04T05:06:07.000Z');

  it('gives each map a value of its type hint, and the caller on the first step only', () => {
    const script = buildSampleScript(
      [
        { intent: 'demo_at', definition: map('datetime') },
        { intent: 'demo_on', definition: map('date') },
        { intent: 'budget', definition: map('currency') },
        { intent: 'note', definition: map('none') },
      ],
      catalog,
      now,
    );
    expect(script).toEqual([
      { intent: 'demo_at', value: '2026-03-04T05:06:07.000Z', caller: SAMPLE_CALLER },
      { intent: 'demo_on', value: '2026-03-04' },
      { intent: 'budget', value: 1200 },
      { intent: 'note' },
    ]);
  });

  it('takes a picklist value from the metadata of the field the value goes to', () => {
    const [step] = buildSampleScript([{ intent: 'qualified', definition: map('picklist') }], catalog, now);
    expect(step.value).toBe('Open');
  });

  it('sends no value for a picklist map whose field is not described (the simulation then names it)', () => {
    const [step] = buildSampleScript(
      [{ intent: 'stage', definition: map('picklist', 'Opportunity.StageName') }],
      catalog,
      now,
    );
    expect(step).toEqual({ intent: 'stage', caller: SAMPLE_CALLER });
  });
});

import type { MetadataCatalog } from './field-metadata';
import type { IntentMapDefinition } from './intent-map-definition';
import { splitTargetField } from './intent-map-definition';
import type { ValueType } from './type-compatibility';
import type { CallerContext } from './value-expression';

export interface SampleStep {
  intent: string;
  value?: unknown;
  caller?: CallerContext;
}

/** The caller of the sample call (the product guide's happy path: a new caller who asks for a demo). */
export const SAMPLE_CALLER: CallerContext = {
  phone: '+14155550123',
  firstName: 'Ada',
  lastName: 'Sample',
  email: 'ada.sample@example.com',
  company: 'Sample Corp',
};

const SAMPLE_VALUES: Record<Exclude<ValueType, 'picklist' | 'multipicklist'>, (now: Date) => unknown> = {
  none: () => undefined,
  string: () => 'Sample value',
  text: () => 'Sample call: the caller asked for a demo next week.',
  phone: () => '+14155550123',
  email: () => 'ada.sample@example.com',
  url: () => 'https://example.com',
  id: () => undefined,
  boolean: () => true,
  integer: () => 3,
  number: () => 2.5,
  currency: () => 1200,
  percent: () => 25,
  date: (now) => now.toISOString().slice(0, 10),
  datetime: (now) => now.toISOString(),
  time: () => '12:00:00.000Z',
};

/**
 * The sample call with the full happy-path script: one step per live map, in intent order, each with a value an
 * agent could send for the map's type hint. A picklist value is the first active value of the field the map's
 * `$value` writes to, so the sample passes a correct map and fails only a broken one.
 */
export function buildSampleScript(
  maps: Array<{ intent: string; definition: IntentMapDefinition }>,
  catalog: MetadataCatalog,
  now: Date,
): SampleStep[] {
  return maps.map(({ intent, definition }, index) => {
    const value =
      definition.valueType === 'picklist' || definition.valueType === 'multipicklist'
        ? firstPicklistValue(definition, catalog)
        : SAMPLE_VALUES[definition.valueType](now);
    const step: SampleStep = { intent, ...(value === undefined ? {} : { value }) };
    return index === 0 ? { ...step, caller: SAMPLE_CALLER } : step;
  });
}

function firstPicklistValue(definition: IntentMapDefinition, catalog: MetadataCatalog): string | undefined {
  for (const target of definition.targets) {
    if (target.value !== '$value') continue;
    const split = splitTargetField(target.field);
    const field = split ? catalog.field(split.object, split.field) : undefined;
    if (field?.picklistValues.length) return field.picklistValues[0];
  }
  return undefined;
}

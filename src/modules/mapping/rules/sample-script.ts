import type { MetadataCatalog } from './field-metadata';
import { type AgentValue, agentValueOf } from './implied-value';
import type { IntentMapDefinition } from './intent-map-definition';
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

const SAMPLE_VALUES: Record<
  Exclude<ValueType, 'none' | 'picklist' | 'multipicklist'>,
  (now: Date) => unknown
> = {
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
 * The sample call with the full happy-path script: one step per live map, in intent order. As an agent would
 * (map by intent), a step sends the intent alone unless the map requires a value (`agentValueOf`); then a value
 * of the map's type, for a picklist the first value the org accepts, so the sample passes a correct map and
 * fails only a broken one.
 */
export function buildSampleScript(
  maps: Array<{ intent: string; definition: IntentMapDefinition }>,
  catalog: MetadataCatalog,
  now: Date,
): SampleStep[] {
  return maps.map(({ intent, definition }, index) => {
    const expected = agentValueOf(definition, catalog);
    const value = expected?.required ? sampleValue(expected, now) : undefined;
    const step: SampleStep = { intent, ...(value === undefined ? {} : { value }) };
    return index === 0 ? { ...step, caller: SAMPLE_CALLER } : step;
  });
}

function sampleValue(expected: AgentValue, now: Date): unknown {
  if (expected.type === 'picklist' || expected.type === 'multipicklist') return expected.allowedValues?.[0];
  return SAMPLE_VALUES[expected.type](now);
}

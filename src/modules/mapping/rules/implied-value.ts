import type { FieldMetadata, MetadataCatalog } from './field-metadata';
import { CHATTER, type IntentMapDefinition, parseTargets } from './intent-map-definition';
import type { ValueType } from './type-compatibility';
import type { LiteralValue } from './value-expression';

/**
 * Map by intent (the guide, chapter 2): the agent says *what happened* ("demo_requested"), not a field value.
 * A short-form map therefore implies the value its target field needs when the agent sends none: a datetime
 * gets `$now`, a date `$today`, a checkbox `true`, a picklist the value named like the intent. Other fields
 * (texts, numbers, picklists without such a value) still take the agent's value.
 */
export function impliedDefault(intent: string, field: FieldMetadata): LiteralValue | undefined {
  switch (field.type) {
    case 'datetime':
      return '$now';
    case 'date':
      return '$today';
    case 'boolean':
      return true;
    case 'picklist':
      return picklistValueNamed(intent, field);
    default:
      return undefined;
  }
}

/** `qualified` ↔ `Qualified`, `closed_won` ↔ `Closed Won`: case, spaces and punctuation do not count. */
const normalise = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The picklist value whose API name or label matches the intent's name, if exactly one does. */
function picklistValueNamed(intent: string, field: FieldMetadata): string | undefined {
  const wanted = normalise(intent);
  const matches = field.picklistValues.filter(
    (value, index) => normalise(value) === wanted || normalise(field.picklistLabels[index] ?? '') === wanted,
  );
  return matches.length === 1 ? matches[0] : undefined;
}

/** What an agent may or must send with an intent, as the API shows it beside each map. */
export interface AgentValue {
  /** False when every target that takes the agent's value has a default (or none takes it). */
  required: boolean;
  type: Exclude<ValueType, 'none'>;
  /** For values written to a picklist: the values the org accepts there. */
  allowedValues?: string[];
}

/** Null when the intent takes no value at all. */
export function agentValueOf(definition: IntentMapDefinition, catalog: MetadataCatalog): AgentValue | null {
  const type = definition.valueType;
  if (type === 'none') return null;
  const takers = parseTargets(definition).filter((target) => target.expression.kind === 'value');
  if (takers.length === 0) return null;
  const required = takers.some((target) => target.fallback === undefined);
  const allowedValues = allowedPicklistValues(type, takers, catalog);
  return { required, type, ...(allowedValues && { allowedValues }) };
}

/** A picklist value must be one every picklist target accepts. */
function allowedPicklistValues(
  valueType: ValueType,
  takers: Array<{ object: string; field: string }>,
  catalog: MetadataCatalog,
): string[] | undefined {
  if (valueType !== 'picklist') return undefined;
  const lists = takers
    .filter((target) => target.object !== CHATTER)
    .map((target) => catalog.field(target.object, target.field))
    .filter((field): field is FieldMetadata => field?.type === 'picklist')
    .map((field) => field.picklistValues);
  if (lists.length === 0) return undefined;
  return lists.reduce((common, values) => common.filter((value) => values.includes(value)));
}

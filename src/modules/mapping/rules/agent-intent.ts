import type { MetadataCatalog } from './field-metadata';
import { CHATTER, type IntentMapDefinition, type IntentMode, parseTargets } from './intent-map-definition';
import type { ValueType } from './type-compatibility';

/** What an agent needs to know to send an intent: whether it takes a value, of which type, and its choices. */
export interface AgentIntent {
  intent: string;
  mode: IntentMode;
  /** True when a target writes `$value`: the agent must send one. */
  valueNeeded: boolean;
  /** The map's type hint for the value (`none` when no target uses it). */
  valueType: ValueType;
  /** The active picklist values of the field `$value` goes to, when that field is a picklist. */
  valueChoices: string[];
}

/**
 * Reads a saved (resolved, full-form) definition: the value is needed exactly when one of its targets takes
 * `$value`, whatever form the admin saved it in.
 */
export function describeAgentIntent(
  intent: string,
  definition: IntentMapDefinition,
  catalog: MetadataCatalog,
): AgentIntent {
  const valueTargets = parseTargets(definition).filter((target) => target.expression.kind === 'value');
  const valueNeeded = valueTargets.length > 0;
  const first = valueTargets[0];
  const field = first && first.object !== CHATTER ? catalog.field(first.object, first.field) : undefined;
  const picklist = definition.valueType === 'picklist' || definition.valueType === 'multipicklist';
  return {
    intent,
    mode: definition.mode,
    valueNeeded,
    valueType: valueNeeded ? definition.valueType : 'none',
    valueChoices: picklist && field ? field.picklistValues : [],
  };
}

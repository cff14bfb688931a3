import type { MetadataCatalog } from './field-metadata';
import { type AgentValue, agentValueOf } from './implied-value';
import type { IntentMapDefinition, IntentMode } from './intent-map-definition';

/** What an agent needs to know to send an intent: its mode, and the value it may or must send. */
export interface AgentIntent {
  intent: string;
  mode: IntentMode;
  /** Null: the intent takes no value. Otherwise its type, choices, and whether a default stands in for it. */
  value: AgentValue | null;
}

/**
 * Reads a saved (resolved, full-form) definition with the same rule the write path applies at call time
 * (`agentValueOf`), so the tools never promise what a call would refuse.
 */
export function describeAgentIntent(
  intent: string,
  definition: IntentMapDefinition,
  catalog: MetadataCatalog,
): AgentIntent {
  return { intent, mode: definition.mode, value: agentValueOf(definition, catalog) };
}

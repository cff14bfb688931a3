import { CHATTER, CHATTER_SUBJECT_OBJECTS, DEFERRED_SOBJECTS } from './written-objects';
import type { ValueType } from './type-compatibility';
import { type LiteralValue, parseValueExpression, type ValueExpression } from './value-expression';

export const INTENT_MODES = ['critical', 'deferred'] as const;
export type IntentMode = (typeof INTENT_MODES)[number];

export { CHATTER };
export const CHATTER_SUBJECTS: readonly string[] = CHATTER_SUBJECT_OBJECTS;

/** Objects whose writes are never in the call's composite: they are queued (product.md §4c). */
export const DEFERRED_OBJECTS: readonly string[] = [...DEFERRED_SOBJECTS, CHATTER];

/**
 * What a write does when the org's duplicate rules block a new record (salesforce-rest.md §6.3, DUPLICATES_DETECTED):
 * `use_matched` writes onto the record the rule names and remembers it for the call; `allow` saves the new record
 * anyway (`Sforce-Duplicate-Rule-Header: allowSave=true`); `fail` lets the write fail.
 */
export const DUPLICATE_POLICIES = ['use_matched', 'allow', 'fail'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];
export const DEFAULT_DUPLICATE_POLICY: DuplicatePolicy = 'use_matched';

/** The external-ID field the write plan upserts on, unless a map names another. */
export const DEFAULT_EXTERNAL_ID_FIELD = 'AICall_External_Id__c';

export interface IntentMapTarget {
  /** `Object.Field`, canonical spelling once saved. */
  field: string;
  /** The value expression, as written (`"$now"`, `"Demo Scheduled"`, `42`). */
  value: LiteralValue;
  /** Only beside `"$value"`: what is written when the agent sends no value (`"$now"`, `true`, `"Qualified"`). */
  default?: LiteralValue;
}

/** The full form of one intent map, as stored in a version row (immutable once saved). */
export interface IntentMapDefinition {
  mode: IntentMode;
  valueType: ValueType;
  targets: IntentMapTarget[];
  routing: boolean;
  externalIdField: string;
  /** Absent in versions saved before the policy existed: they behave as DEFAULT_DUPLICATE_POLICY. */
  duplicates?: DuplicatePolicy;
}

/** What the parser accepts before metadata fills the gaps: a short form has no mode or type hint. */
export interface IntentMapDraft {
  mode?: IntentMode;
  valueType?: ValueType;
  targets: IntentMapTarget[];
  routing: boolean;
  externalIdField?: string;
  duplicates?: DuplicatePolicy;
  /** A short form: validation gives its target the default its field type implies (implied-value.ts). */
  impliedValue?: boolean;
}

export interface ParsedTarget {
  object: string;
  field: string;
  expression: ValueExpression;
  /** The target's `default`, used when the agent sends no value. */
  fallback?: ValueExpression;
}

export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
export const INTENT_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

export function splitTargetField(target: string): { object: string; field: string } | null {
  const parts = target.split('.');
  if (parts.length !== 2 || !parts.every((part) => IDENTIFIER.test(part))) return null;
  return { object: parts[0], field: parts[1] };
}

/** For definitions that passed the parser: every target splits and every value parses. */
export function parseTargets(definition: { targets: IntentMapTarget[] }): ParsedTarget[] {
  return definition.targets.map((target) => {
    const split = splitTargetField(target.field);
    if (!split) throw new Error(`Unparsed target field "${target.field}"`);
    const expression = parseValueExpression(target.value);
    if (target.default === undefined) return { ...split, expression };
    return { ...split, expression, fallback: parseValueExpression(target.default) };
  });
}

export function isDeferredObject(object: string): boolean {
  return DEFERRED_OBJECTS.includes(object);
}

/** A map that only writes Task or Chatter is deferred by default; anything else is written during the call. */
export function defaultMode(targets: IntentMapTarget[]): IntentMode {
  return targets.every((target) => isDeferredObject(target.field.split('.')[0])) ? 'deferred' : 'critical';
}

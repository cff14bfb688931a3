import type { Problem } from '../../../common/errors/domain-error';
import {
  CHATTER,
  CHATTER_SUBJECTS,
  DUPLICATE_POLICIES,
  type DuplicatePolicy,
  IDENTIFIER,
  INTENT_MODES,
  INTENT_NAME,
  type IntentMapDraft,
  type IntentMapTarget,
  type IntentMode,
  splitTargetField,
} from './intent-map-definition';
import { VALUE_TYPES, type ValueType } from './type-compatibility';
import { parseValueExpression, ValueExpressionError } from './value-expression';

/**
 * Turns what an admin sent into drafts, or lists every malformed spot (a 400): unknown keys, a bad mode or type
 * hint, empty targets, `Object.Field` syntax, unknown value expressions. Metadata is not consulted here.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const FULL_FORM_KEYS = new Set(['mode', 'valueType', 'targets', 'routing', 'externalIdField', 'duplicates']);
const TARGET_KEYS = new Set(['field', 'value', 'default']);
export const MAX_TARGETS_PER_INTENT = 20;
export const MAX_INTENTS_PER_IMPORT = 1000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const malformed = (field: string, message: string): Problem => ({ field, code: 'MALFORMED', message });

/** One intent: a short-form string (`"Opportunity.Demo_Requested_At__c"`) or a full-form object. */
export function parseIntentMap(intent: string, input: unknown): ParseResult<IntentMapDraft> {
  const problems: Problem[] = [];
  if (!INTENT_NAME.test(intent)) {
    problems.push(
      malformed(
        intent,
        `intent "${intent}" must start with a letter and use letters, digits, "_", "." or "-" (max 100)`,
      ),
    );
  }
  if (typeof input === 'string') {
    problems.push(...checkTargetField(input, intent));
    const draft: IntentMapDraft = {
      targets: [{ field: input, value: '$value' }],
      routing: false,
      impliedValue: true,
    };
    return problems.length ? { ok: false, problems } : { ok: true, value: draft };
  }
  if (!isObject(input)) {
    problems.push(
      malformed(intent, 'an intent map is a "Object.Field" string (short form) or an object (full form)'),
    );
    return { ok: false, problems };
  }
  for (const key of Object.keys(input)) {
    if (!FULL_FORM_KEYS.has(key)) problems.push(malformed(`${intent}.${key}`, `unknown key "${key}"`));
  }
  const { mode, valueType, targets, routing, externalIdField, duplicates } = input;
  if (duplicates !== undefined && !(DUPLICATE_POLICIES as readonly unknown[]).includes(duplicates)) {
    problems.push(
      malformed(`${intent}.duplicates`, `duplicates must be one of ${DUPLICATE_POLICIES.join(', ')}`),
    );
  }
  if (mode !== undefined && !(INTENT_MODES as readonly unknown[]).includes(mode)) {
    problems.push(malformed(`${intent}.mode`, `mode must be one of ${INTENT_MODES.join(', ')}`));
  }
  if (valueType !== undefined && !(VALUE_TYPES as readonly unknown[]).includes(valueType)) {
    problems.push(malformed(`${intent}.valueType`, `valueType must be one of ${VALUE_TYPES.join(', ')}`));
  }
  if (routing !== undefined && typeof routing !== 'boolean') {
    problems.push(malformed(`${intent}.routing`, 'routing must be true or false'));
  }
  if (
    externalIdField !== undefined &&
    (typeof externalIdField !== 'string' || !IDENTIFIER.test(externalIdField))
  ) {
    problems.push(malformed(`${intent}.externalIdField`, 'externalIdField must be a field API name'));
  }
  const parsedTargets = parseTargetList(intent, targets, valueType, problems);
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      mode: mode as IntentMode | undefined,
      valueType: valueType as ValueType | undefined,
      targets: parsedTargets,
      routing: (routing as boolean | undefined) ?? false,
      ...(externalIdField === undefined ? {} : { externalIdField: externalIdField as string }),
      ...(duplicates === undefined ? {} : { duplicates: duplicates as DuplicatePolicy }),
    },
  };
}

function parseTargetList(intent: string, targets: unknown, valueType: unknown, problems: Problem[]) {
  const spot = `${intent}.targets`;
  if (!Array.isArray(targets) || targets.length === 0) {
    problems.push(malformed(spot, 'targets must be a non-empty list of {field, value}'));
    return [];
  }
  if (targets.length > MAX_TARGETS_PER_INTENT) {
    problems.push(malformed(spot, `at most ${MAX_TARGETS_PER_INTENT} targets per intent`));
  }
  const seen = new Set<string>();
  const parsed: IntentMapTarget[] = [];
  targets.forEach((target: unknown, index) => {
    const at = `${spot}[${index}]`;
    if (!isObject(target)) {
      problems.push(malformed(at, 'a target is an object {field, value}'));
      return;
    }
    for (const key of Object.keys(target)) {
      if (!TARGET_KEYS.has(key)) problems.push(malformed(`${at}.${key}`, `unknown key "${key}"`));
    }
    const { field, value, default: fallback } = target;
    if (typeof field !== 'string') {
      problems.push(malformed(`${at}.field`, 'field must be a string "Object.Field"'));
    } else {
      problems.push(...checkTargetField(field, `${at}.field`));
      if (seen.has(field.toLowerCase()))
        problems.push(malformed(`${at}.field`, `${field} is targeted twice`));
      seen.add(field.toLowerCase());
    }
    if (value === undefined) {
      problems.push(malformed(`${at}.value`, 'value is required (an expression or a JSON literal)'));
      return;
    }
    try {
      const expression = parseValueExpression(value);
      if (expression.kind === 'value' && valueType === 'none') {
        problems.push(malformed(`${at}.value`, '$value cannot be used when valueType is "none"'));
      }
      if (fallback !== undefined) checkDefault(expression.kind, fallback, `${at}.default`, problems);
    } catch (error) {
      if (!(error instanceof ValueExpressionError)) throw error;
      problems.push(malformed(`${at}.value`, error.message));
      return;
    }
    if (typeof field !== 'string') return;
    const literal = value as IntentMapTarget['value'];
    parsed.push(
      fallback === undefined
        ? { field, value: literal }
        : { field, value: literal, default: fallback as IntentMapTarget['value'] },
    );
  });
  return parsed;
}

/** A default stands in for the agent's value, so it belongs beside `$value` and cannot be `$value` itself. */
function checkDefault(valueKind: string, fallback: unknown, spot: string, problems: Problem[]) {
  if (valueKind !== 'value') {
    problems.push(malformed(spot, 'a default only goes with "value": "$value"'));
    return;
  }
  try {
    if (parseValueExpression(fallback).kind === 'value') {
      problems.push(malformed(spot, 'the default of $value cannot be $value'));
    }
  } catch (error) {
    if (!(error instanceof ValueExpressionError)) throw error;
    problems.push(malformed(spot, error.message));
  }
}

function checkTargetField(field: string, spot: string): Problem[] {
  const split = splitTargetField(field);
  if (!split) {
    return [malformed(spot, `"${field}" is not of the form Object.Field (API names: letters, digits, "_")`)];
  }
  if (split.object === CHATTER && !CHATTER_SUBJECTS.includes(split.field)) {
    return [
      malformed(spot, `Chatter targets post on ${CHATTER_SUBJECTS.map((s) => `${CHATTER}.${s}`).join(', ')}`),
    ];
  }
  return [];
}

/**
 * A whole set (PUT /v1/mappings): `{intent: "Object.Field" | fullForm, ...}`. Every problem of every intent is
 * listed; nothing is returned unless all parse.
 */
export function parseIntentMapSet(input: unknown): ParseResult<Map<string, IntentMapDraft>> {
  if (!isObject(input)) {
    return { ok: false, problems: [malformed('', 'the body is an object {intent: map}')] };
  }
  const entries = Object.entries(input);
  if (entries.length === 0) return { ok: false, problems: [malformed('', 'the set names no intent')] };
  if (entries.length > MAX_INTENTS_PER_IMPORT) {
    return { ok: false, problems: [malformed('', `at most ${MAX_INTENTS_PER_IMPORT} intents per import`)] };
  }
  const drafts = new Map<string, IntentMapDraft>();
  const problems: Problem[] = [];
  for (const [intent, map] of entries) {
    const result = parseIntentMap(intent, map);
    if (result.ok) drafts.set(intent, result.value);
    else problems.push(...result.problems);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: drafts };
}

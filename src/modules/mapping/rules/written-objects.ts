import {
  type CreateContext,
  OBJECT_WITHOUT_RULES,
  type SObjectRule,
  SOBJECT_RULES,
  TASK,
  type TaskReferenceField,
} from './sobject-rules';

/*
 * What derives from the sObject table (sobject-rules.ts): the record chain and write order, the fields the plan
 * supplies, the Task's Who and What, the deferred objects and the Chatter subjects. Nothing here names an sObject.
 */

const TABLE_ORDER = Object.keys(SOBJECT_RULES);

/** The pseudo-object of Chatter targets: `Chatter.Opportunity` posts the value on the caller's opportunity feed. */
export const CHATTER = 'Chatter';

export function ruleOf(object: string): SObjectRule {
  return SOBJECT_RULES[object] ?? OBJECT_WITHOUT_RULES;
}

/** Objects whose writes are never in the call's composite. */
export const DEFERRED_SOBJECTS = TABLE_ORDER.filter((object) => SOBJECT_RULES[object].deferred);
/** Objects whose feed a Chatter target may post on. */
export const CHATTER_SUBJECT_OBJECTS = TABLE_ORDER.filter((object) => SOBJECT_RULES[object].chatterSubject);
/** Objects a metadata refresh describes when none are named. */
export const DEFAULT_DESCRIBED_OBJECTS = TABLE_ORDER.filter(
  (object) => SOBJECT_RULES[object].describedByDefault,
);

/**
 * Every sObject the plan writes for these target objects, each with its parents (and theirs): table order
 * first, then the objects outside the table in the order first targeted. Chatter is not an sObject write.
 */
export function objectsWritten(targetObjects: Iterable<string>): string[] {
  const written = new Set<string>();
  const add = (object: string) => {
    for (const parent of ruleOf(object).parents) add(parent);
    written.add(object);
  };
  for (const object of targetObjects) if (object !== CHATTER) add(object);
  const ordered = TABLE_ORDER.filter((object) => written.has(object));
  return [...ordered, ...[...written].filter((object) => !(object in SOBJECT_RULES))];
}

/**
 * Fields the write plan fills itself when it creates the record: its create defaults, its lookups to its
 * parents, and on the Task the Who and What. Validation does not ask a map to target them.
 */
export function planSuppliedFields(object: string): string[] {
  const rule = ruleOf(object);
  const taskReferences: TaskReferenceField[] = ['WhoId', 'WhatId'];
  return [
    ...Object.keys(rule.createDefaults),
    ...rule.parents.map((parent) => `${parent}Id`),
    ...(object === TASK ? taskReferences : []),
  ];
}

/** The objects that may fill a Task reference, the preferred first. */
export function taskReferenceObjects(field: TaskReferenceField): string[] {
  const rank = (object: string) => SOBJECT_RULES[object].taskRole?.rank ?? 0;
  return TABLE_ORDER.filter((object) => SOBJECT_RULES[object].taskRole?.field === field).sort(
    (a, b) => rank(a) - rank(b),
  );
}

/** The create defaults of a new record, from its rule: empty values and fields the org lacks are not sent. */
export function createDefaultValues(object: string, context: CreateContext): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, valueOf] of Object.entries(ruleOf(object).createDefaults)) {
    if (!context.catalog.field(object, field)?.createable) continue;
    const value = valueOf(context);
    if (value !== undefined && value !== '') values[field] = value;
  }
  return values;
}

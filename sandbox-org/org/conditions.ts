import type { Condition } from '../org-definition/definition-types';

/** Evaluates a declarative condition from the org definition (validation and assignment rules) on a record. */
export function conditionHolds(condition: Condition, record: Readonly<Record<string, unknown>>): boolean {
  if ('all' in condition) return condition.all.every((c) => conditionHolds(c, record));
  if ('any' in condition) return condition.any.some((c) => conditionHolds(c, record));
  const actual = record[condition.field];
  const blank = actual === null || actual === undefined || actual === '';
  switch (condition.op) {
    case 'blank':
      return blank;
    case 'notBlank':
      return !blank;
    case 'eq':
      return actual === condition.value;
    case 'ne':
      return actual !== condition.value;
    case 'contains':
      return typeof actual === 'string' && actual.includes(String(condition.value));
    case 'lt':
      return !blank && Number(actual) < Number(condition.value);
    case 'le':
      return !blank && Number(actual) <= Number(condition.value);
    case 'gt':
      return !blank && Number(actual) > Number(condition.value);
    case 'ge':
      return !blank && Number(actual) >= Number(condition.value);
  }
}

import { Literal, RelativeDateName } from './soql-ast';

/**
 * How a field's values compare. Each category maps stored values and literals into one "key" space so a
 * condition converts its literal once and then compares plain strings or numbers per row.
 */
export type ValueCategory = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

/** A comparable value: strings compare in code-unit order (already lower-cased for text), numbers numerically. */
export type Key = string | number;

/** A literal in key space: one value (`null` for SOQL `null`), or a half-open range for relative dates. */
export type Operand = { kind: 'point'; key: Key | null } | { kind: 'range'; start: Key; end: Key };

const CATEGORY_BY_TYPE: Record<string, ValueCategory> = {
  id: 'id',
  reference: 'id',
  int: 'number',
  long: 'number',
  double: 'number',
  currency: 'number',
  percent: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
};

export function categoryOf(fieldType: string): ValueCategory {
  return CATEGORY_BY_TYPE[fieldType.toLowerCase()] ?? 'text';
}

/** The key of a stored value, or null when Salesforce would consider it empty (it stores '' as null). */
export function keyOf(category: ValueCategory, value: unknown): Key | null {
  // A checkbox is never null in Salesforce: a missing value reads as false.
  if (category === 'boolean') return value === true || String(textOf(value)).toLowerCase() === 'true' ? 1 : 0;
  const text = textOf(value);
  if (text === null) return null;
  switch (category) {
    case 'text':
      return text.toLowerCase();
    case 'id':
      // 15- and 18-character forms of an id are equal: the first 15 characters are the case-sensitive id.
      return text.length === 18 ? text.slice(0, 15) : text;
    case 'number':
      return numberOrNull(typeof value === 'number' ? value : Number(text));
    case 'date':
      return text.slice(0, 10);
    case 'datetime':
      // Salesforce writes `+0000`; Date.parse wants `+00:00`.
      return numberOrNull(Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
  }
}

/** A scalar as text; null for empty and non-scalar values (Salesforce stores '' as null). */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function numberOrNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** Converts a WHERE literal into the key space of the field it is compared with. */
export function operandOf(category: ValueCategory, literal: Literal, now: Date): Operand {
  switch (literal.kind) {
    case 'null':
      return { kind: 'point', key: null };
    case 'string':
    case 'number':
    case 'date':
      return { kind: 'point', key: keyOf(category, literal.value) };
    case 'boolean':
      return { kind: 'point', key: literal.value ? 1 : 0 };
    case 'datetime':
      return { kind: 'point', key: keyOf(category, new Date(literal.epochMs).toISOString()) };
    case 'relativeDate': {
      const [start, end] = relativeDateRange(literal.name, literal.days, now);
      return { kind: 'range', start: rangeBound(category, start), end: rangeBound(category, end) };
    }
  }
}

function rangeBound(category: ValueCategory, day: Date): Key {
  return keyOf(category, day.toISOString()) ?? day.getTime();
}

const DAY_MS = 86_400_000;

/** Start (inclusive) and end (exclusive) of a relative date literal, in whole UTC days (the sandbox user's zone). */
function relativeDateRange(name: RelativeDateName, days: number, now: Date): [Date, Date] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const day = (offset: number) => new Date(today + offset * DAY_MS);
  switch (name) {
    case 'TODAY':
      return [day(0), day(1)];
    case 'YESTERDAY':
      return [day(-1), day(0)];
    case 'TOMORROW':
      return [day(1), day(2)];
    case 'LAST_N_DAYS':
      return [day(-days), day(1)];
    case 'NEXT_N_DAYS':
      return [day(1), day(1 + days)];
  }
}

export function compareKeys(left: Key, right: Key): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

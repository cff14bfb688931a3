/**
 * THE type compatibility table: which Salesforce field types a value of each type hint may be written to.
 * Validation at save, auto-map and the README all read this one table; nothing else decides compatibility.
 *
 * Rows are value types (the type hints of intent maps, plus the types of `$now`, `$today`, `$caller.*`, …);
 * columns are describe field types, with restricted picklists as their own column, because a free value can
 * only go into a picklist that accepts any value. Types absent from a row are incompatible.
 */

export const VALUE_TYPES = [
  'none',
  'string',
  'text',
  'picklist',
  'multipicklist',
  'phone',
  'email',
  'url',
  'id',
  'boolean',
  'integer',
  'number',
  'currency',
  'percent',
  'date',
  'datetime',
  'time',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** The columns: describe `type` values (salesforce-rest.md §3.4), restricted picklists apart. */
export const FIELD_TYPE_COLUMNS = [
  'string',
  'textarea',
  'encryptedstring',
  'combobox',
  'picklist',
  'restricted picklist',
  'multipicklist',
  'phone',
  'email',
  'url',
  'id',
  'reference',
  'boolean',
  'int',
  'long',
  'double',
  'currency',
  'percent',
  'date',
  'datetime',
  'time',
  'base64',
  'address',
  'location',
  'anyType',
  'complexvalue',
  'json',
] as const;
export type FieldTypeColumn = (typeof FIELD_TYPE_COLUMNS)[number];

const TEXT_FIELDS = ['string', 'textarea', 'encryptedstring', 'combobox'] as const;

export const TYPE_COMPATIBILITY: Readonly<Record<ValueType, readonly FieldTypeColumn[]>> = {
  // No value at all: only constants and other expressions can be written.
  none: [],
  string: [...TEXT_FIELDS, 'picklist'],
  // Long text (a call summary) only fits long text: a short string field would truncate it.
  text: ['textarea'],
  // The agent promises a picklist API value; the write path checks it against the picklist at call time.
  picklist: [...TEXT_FIELDS, 'picklist', 'restricted picklist'],
  multipicklist: ['multipicklist'],
  phone: ['phone', 'string', 'textarea'],
  email: ['email', 'string', 'textarea'],
  url: ['url', 'string', 'textarea'],
  id: ['reference', 'string'],
  boolean: ['boolean'],
  integer: ['int', 'long', 'double', 'currency', 'percent'],
  number: ['double', 'currency', 'percent'],
  currency: ['currency', 'double'],
  percent: ['percent', 'double'],
  date: ['date'],
  datetime: ['datetime'],
  time: ['time'],
};

export function fieldTypeColumn(field: {
  type: string;
  restrictedPicklist: boolean;
}): FieldTypeColumn | null {
  if (field.type === 'picklist' && field.restrictedPicklist) return 'restricted picklist';
  return (FIELD_TYPE_COLUMNS as readonly string[]).includes(field.type)
    ? (field.type as FieldTypeColumn)
    : null;
}

export function isCompatible(
  valueType: ValueType,
  field: { type: string; restrictedPicklist: boolean },
): boolean {
  const column = fieldTypeColumn(field);
  return column !== null && TYPE_COMPATIBILITY[valueType].includes(column);
}

/** The type hint a field naturally takes (used when a short-form map gives none); null: nothing fits. */
export function naturalValueType(field: { type: string }): ValueType | null {
  switch (field.type) {
    case 'string':
    case 'combobox':
    case 'encryptedstring':
      return 'string';
    case 'textarea':
      return 'text';
    case 'picklist':
      return 'picklist';
    case 'multipicklist':
      return 'multipicklist';
    case 'phone':
    case 'email':
    case 'url':
    case 'boolean':
    case 'currency':
    case 'percent':
    case 'date':
    case 'datetime':
    case 'time':
      return field.type;
    case 'int':
    case 'long':
      return 'integer';
    case 'double':
      return 'number';
    case 'reference':
      return 'id';
    default:
      return null;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Does a value sent by the agent (or found in a payload) have the hinted type? The write path checks with this. */
export function valueMatchesType(valueType: ValueType, value: unknown): boolean {
  switch (valueType) {
    case 'none':
      return value === undefined;
    case 'string':
    case 'text':
    case 'picklist':
    case 'phone':
    case 'url':
      return typeof value === 'string';
    case 'multipicklist':
      return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    case 'email':
      return typeof value === 'string' && EMAIL.test(value);
    case 'id':
      return typeof value === 'string' && SALESFORCE_ID.test(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
    case 'currency':
    case 'percent':
      return typeof value === 'number' && Number.isFinite(value);
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value));
    case 'datetime':
      return typeof value === 'string' && DATETIME.test(value) && !Number.isNaN(Date.parse(value));
    case 'time':
      return typeof value === 'string' && TIME.test(value);
  }
}

/**
 * The most specific value type a JSON literal has, for checking constants against the table: `"2026-05-14"`
 * is a date, `3` an integer, `"Demo Scheduled"` a string. Null has no type (checked against nillable).
 */
export function literalValueTypes(literal: unknown): ValueType[] {
  if (typeof literal === 'boolean') return ['boolean'];
  if (typeof literal === 'number') return Number.isInteger(literal) ? ['integer'] : ['number'];
  if (typeof literal === 'string') {
    const types: ValueType[] = ['string'];
    if (valueMatchesType('date', literal)) types.push('date');
    if (valueMatchesType('datetime', literal)) types.push('datetime');
    if (valueMatchesType('time', literal)) types.push('time');
    if (valueMatchesType('email', literal)) types.push('email');
    if (valueMatchesType('id', literal)) types.push('id');
    // Any string fits a phone, url, picklist or long-text field as far as types go; picklists are checked apart.
    types.push('phone', 'url', 'text', 'picklist', 'multipicklist');
    return types;
  }
  if (Array.isArray(literal) && literal.every((v) => typeof v === 'string')) return ['multipicklist'];
  return [];
}

/** A JSON Schema (draft 2020-12 subset that function-calling models accept). */
export type JsonSchema = Record<string, unknown>;

/**
 * What `valueMatchesType` accepts, as a JSON Schema for the tools voice agents call: the same patterns, so a
 * model told this schema sends values the write path takes. `none` has no schema (no value is sent).
 */
export function valueJsonSchema(
  valueType: Exclude<ValueType, 'none'>,
  picklistValues: string[] = [],
): JsonSchema {
  const choices = picklistValues.length ? { enum: picklistValues } : {};
  switch (valueType) {
    case 'string':
    case 'text':
    case 'phone':
      return { type: 'string' };
    case 'url':
      return { type: 'string', format: 'uri' };
    case 'picklist':
      return { type: 'string', ...choices };
    case 'multipicklist':
      return { type: 'array', items: { type: 'string', ...choices } };
    case 'email':
      return { type: 'string', format: 'email', pattern: EMAIL.source };
    case 'id':
      return { type: 'string', description: 'a Salesforce record id', pattern: SALESFORCE_ID.source };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer' };
    case 'number':
    case 'currency':
    case 'percent':
      return { type: 'number' };
    case 'date':
      return { type: 'string', format: 'date', pattern: DATE.source };
    case 'datetime':
      return { type: 'string', format: 'date-time', pattern: DATETIME.source };
    case 'time':
      // No `format: time`: it demands a zone offset, and Salesforce times are zone-less (`10:30:00`).
      return { type: 'string', pattern: TIME.source, description: 'HH:MM[:SS[.sss]][Z]' };
  }
}

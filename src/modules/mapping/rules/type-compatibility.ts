/**
 * THE value type table: for each value type (the type hints of intent maps, plus the types of `$now`, `$today`,
 * `$caller.*`, …), which Salesforce field types it may be written to, which values the agent may send as it,
 * the same as a JSON Schema for voice-agent tools, which constants have it, and which field types take it
 * naturally. Validation at save, auto-map, the write path, the agent tools and the console all read this one
 * table (the README shows its compatibility columns): adding a value type is one entry here.
 *
 * Columns are describe field types, with restricted picklists as their own column, because a free value can
 * only go into a picklist that accepts any value. Field types absent from `writesTo` are incompatible.
 */

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

/** A JSON Schema (draft 2020-12 subset that function-calling models accept). */
export type JsonSchema = Record<string, unknown>;

interface ValueTypeRule {
  /** The field types a value of this type may be written to. */
  writesTo: readonly FieldTypeColumn[];
  /** Does a value sent by the agent (or found in a payload) have this type? The write path checks with this. */
  accepts: (value: unknown) => boolean;
  /**
   * What `accepts` takes, as a JSON Schema for the tools voice agents call (the same patterns, so a model told
   * this schema sends values the write path takes); `choices` are a picklist's values. Null: no value is sent.
   */
  jsonSchema: ((choices: { enum?: string[] }) => JsonSchema) | null;
  /** Does a constant of a map have this type? Constants are checked against fields by their shape. */
  constant: (literal: unknown) => boolean;
  /** Describe field types for which this is the type hint a short-form map gets. */
  naturalFor: readonly string[];
}

const TEXT_FIELDS = ['string', 'textarea', 'encryptedstring', 'combobox'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

const isString = (value: unknown): value is string => typeof value === 'string';
const isFiniteNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
const matches = (pattern: RegExp) => (value: unknown) => isString(value) && pattern.test(value);
const parsesAsDate = (pattern: RegExp) => (value: unknown) =>
  isString(value) && pattern.test(value) && !Number.isNaN(Date.parse(value));
const never = () => false;

/** Any string fits a text, phone, url or picklist field as far as types go; picklists are checked apart. */
const anyString = { accepts: isString, constant: isString };

export const VALUE_TYPE_RULES = {
  // No value at all: only constants and other expressions can be written.
  none: {
    writesTo: [],
    accepts: (value) => value === undefined,
    jsonSchema: null,
    constant: never,
    naturalFor: [],
  },
  string: {
    writesTo: [...TEXT_FIELDS, 'picklist'],
    ...anyString,
    jsonSchema: () => ({ type: 'string' }),
    naturalFor: ['string', 'combobox', 'encryptedstring'],
  },
  // Long text (a call summary) only fits long text: a short string field would truncate it.
  text: {
    writesTo: ['textarea'],
    ...anyString,
    jsonSchema: () => ({ type: 'string' }),
    naturalFor: ['textarea'],
  },
  // The agent promises a picklist API value; the write path checks it against the picklist at call time.
  picklist: {
    writesTo: [...TEXT_FIELDS, 'picklist', 'restricted picklist'],
    ...anyString,
    jsonSchema: (choices) => ({ type: 'string', ...choices }),
    naturalFor: ['picklist'],
  },
  multipicklist: {
    writesTo: ['multipicklist'],
    accepts: (value) => isString(value) || (Array.isArray(value) && value.every(isString)),
    jsonSchema: (choices) => ({ type: 'array', items: { type: 'string', ...choices } }),
    constant: (literal) => isString(literal) || (Array.isArray(literal) && literal.every(isString)),
    naturalFor: ['multipicklist'],
  },
  phone: {
    writesTo: ['phone', 'string', 'textarea'],
    ...anyString,
    jsonSchema: () => ({ type: 'string' }),
    naturalFor: ['phone'],
  },
  email: {
    writesTo: ['email', 'string', 'textarea'],
    accepts: matches(EMAIL),
    jsonSchema: () => ({ type: 'string', format: 'email', pattern: EMAIL.source }),
    constant: matches(EMAIL),
    naturalFor: ['email'],
  },
  url: {
    writesTo: ['url', 'string', 'textarea'],
    ...anyString,
    jsonSchema: () => ({ type: 'string', format: 'uri' }),
    naturalFor: ['url'],
  },
  id: {
    writesTo: ['reference', 'string'],
    accepts: matches(SALESFORCE_ID),
    jsonSchema: () => ({
      type: 'string',
      description: 'a Salesforce record id',
      pattern: SALESFORCE_ID.source,
    }),
    constant: matches(SALESFORCE_ID),
    naturalFor: ['reference'],
  },
  boolean: {
    writesTo: ['boolean'],
    accepts: (value) => typeof value === 'boolean',
    jsonSchema: () => ({ type: 'boolean' }),
    constant: (literal) => typeof literal === 'boolean',
    naturalFor: ['boolean'],
  },
  integer: {
    writesTo: ['int', 'long', 'double', 'currency', 'percent'],
    accepts: Number.isInteger,
    jsonSchema: () => ({ type: 'integer' }),
    constant: Number.isInteger,
    naturalFor: ['int', 'long'],
  },
  number: {
    writesTo: ['double', 'currency', 'percent'],
    accepts: isFiniteNumber,
    jsonSchema: () => ({ type: 'number' }),
    // An integer constant is an integer, which fits everything a number fits.
    constant: (literal) => isFiniteNumber(literal) && !Number.isInteger(literal),
    naturalFor: ['double'],
  },
  currency: {
    writesTo: ['currency', 'double'],
    accepts: isFiniteNumber,
    jsonSchema: () => ({ type: 'number' }),
    constant: never,
    naturalFor: ['currency'],
  },
  percent: {
    writesTo: ['percent', 'double'],
    accepts: isFiniteNumber,
    jsonSchema: () => ({ type: 'number' }),
    constant: never,
    naturalFor: ['percent'],
  },
  date: {
    writesTo: ['date'],
    accepts: parsesAsDate(DATE),
    jsonSchema: () => ({ type: 'string', format: 'date', pattern: DATE.source }),
    constant: parsesAsDate(DATE),
    naturalFor: ['date'],
  },
  datetime: {
    writesTo: ['datetime'],
    accepts: parsesAsDate(DATETIME),
    jsonSchema: () => ({ type: 'string', format: 'date-time', pattern: DATETIME.source }),
    constant: parsesAsDate(DATETIME),
    naturalFor: ['datetime'],
  },
  time: {
    writesTo: ['time'],
    accepts: matches(TIME),
    // No `format: time`: it demands a zone offset, and Salesforce times are zone-less (`10:30:00`).
    jsonSchema: () => ({ type: 'string', pattern: TIME.source, description: 'HH:MM[:SS[.sss]][Z]' }),
    constant: matches(TIME),
    naturalFor: ['time'],
  },
} as const satisfies Record<string, ValueTypeRule>;

export type ValueType = keyof typeof VALUE_TYPE_RULES;
export const VALUE_TYPES = Object.keys(VALUE_TYPE_RULES) as readonly ValueType[];

const ruleOf = (valueType: ValueType): ValueTypeRule => VALUE_TYPE_RULES[valueType];

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
  return column !== null && ruleOf(valueType).writesTo.includes(column);
}

/** The type hint a field naturally takes (used when a short-form map gives none); null: nothing fits. */
export function naturalValueType(field: { type: string }): ValueType | null {
  return VALUE_TYPES.find((valueType) => ruleOf(valueType).naturalFor.includes(field.type)) ?? null;
}

/** Does a value sent by the agent (or found in a payload) have the hinted type? The write path checks with this. */
export function valueMatchesType(valueType: ValueType, value: unknown): boolean {
  return ruleOf(valueType).accepts(value);
}

/**
 * Every value type a JSON literal has, for checking constants against the table: `"2026-05-14"` is a date (and
 * a string), `3` an integer, `"Demo Scheduled"` a string. Null has no type (checked against nillable).
 */
export function literalValueTypes(literal: unknown): ValueType[] {
  return VALUE_TYPES.filter((valueType) => ruleOf(valueType).constant(literal));
}

/** What `valueMatchesType` accepts, as a JSON Schema for the tools voice agents call. */
export function valueJsonSchema(
  valueType: Exclude<ValueType, 'none'>,
  picklistValues: string[] = [],
): JsonSchema {
  return ruleOf(valueType).jsonSchema!(picklistValues.length ? { enum: picklistValues } : {});
}

import type { FieldDescribe } from '../schema/field-describe';
import type { SObjectType } from '../schema/sobject-type';
import type { OrgRuntime } from '../org/org-runtime';
import { restError, type RestError } from '../http/errors';
import { normalizeId } from '../store/ids';
import { formatDateTime, parseDate, parseDateTime } from '../util/dates';

export type WriteMode = 'create' | 'update';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Turns a request body into canonical field names and stored values, failing exactly as Salesforce reports
 * it (§3.1, §6.3): unknown field, `Id` in a create, read-only field, wrong JSON type, bad date, too long,
 * restricted picklist, malformed or dangling reference.
 */
export function normalizeFieldValues(
  org: OrgRuntime,
  type: SObjectType,
  body: Record<string, unknown>,
  mode: WriteMode,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const field = type.field(key);
    if (field?.name === 'Id') {
      if (mode === 'create')
        throw restError(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.');
      continue;
    }
    if (!field) {
      const related = relationshipByExternalId(org, type, key, raw);
      if (!related)
        throw restError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${type.name}`);
      values[related.field.name] = related.id;
      continue;
    }
    if (mode === 'create' ? !field.createable : !field.updateable) {
      const verb = mode === 'create' ? 'create' : 'update';
      throw restError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to ${verb} fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [field.name],
      );
    }
    values[field.name] = coerceValue(org, field, raw, body);
  }
  return values;
}

/** "Cannot deserialize instance of double from VALUE_STRING value abc …" (JSON_PARSER_ERROR, as Salesforce's Jackson reports). */
function parserError(field: FieldDescribe, raw: unknown, body: Record<string, unknown>): RestError {
  const token =
    typeof raw === 'string' ? 'VALUE_STRING' : typeof raw === 'object' ? 'START_OBJECT' : 'VALUE_TRUE';
  const column = JSON.stringify(body).indexOf(`"${field.name}":`) + field.name.length + 4;
  const kind = field.type === 'datetime' ? 'datetime' : field.type;
  return restError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from ${token} value ${String(raw)} or request may be missing a required field at [line:1, column:${column}]`,
  );
}

function coerceValue(
  org: OrgRuntime,
  field: FieldDescribe,
  raw: unknown,
  body: Record<string, unknown>,
): unknown {
  if (raw === null || raw === undefined) return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw parserError(field, raw, body);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return coerceNumber(field, raw, body);
    case 'date': {
      const date = typeof raw === 'string' ? parseDate(raw) : undefined;
      if (date === undefined) throw parserError(field, raw, body);
      return date;
    }
    case 'datetime': {
      const ms = typeof raw === 'string' ? parseDateTime(raw) : undefined;
      if (ms === undefined) throw parserError(field, raw, body);
      return formatDateTime(ms);
    }
    case 'reference':
    case 'id':
      return checkReference(org, field, raw);
    case 'string':
    case 'textarea':
    case 'picklist':
    case 'multipicklist':
    case 'combobox':
    case 'phone':
    case 'email':
    case 'url':
      return checkText(field, raw, body);
  }
}

function coerceNumber(field: FieldDescribe, raw: unknown, body: Record<string, unknown>): number {
  if (typeof raw === 'boolean') {
    throw restError(
      400,
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      `${field.label}: value not of required type: ${raw}`,
      [field.name],
    );
  }
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value) || (field.type === 'int' && !Number.isInteger(value)))
    throw parserError(field, raw, body);
  const integerDigits = field.type === 'int' ? field.digits : field.precision - field.scale;
  if (Math.abs(Math.trunc(value)).toString().length > integerDigits) {
    throw restError(
      400,
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${field.label}: value outside of valid range on numeric field: ${value}`,
      [field.name],
    );
  }
  return value;
}

function checkText(field: FieldDescribe, raw: unknown, body: Record<string, unknown>): string {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
    throw parserError(field, raw, body);
  const value = String(raw);
  if (value.length > field.length) {
    throw restError(
      400,
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${value} (max length=${field.length})`,
      [field.name],
    );
  }
  if (field.type === 'email' && value !== '' && !EMAIL.test(value)) {
    throw restError(400, 'INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [
      field.name,
    ]);
  }
  if (field.restrictedPicklist && value !== '') {
    const allowed = new Set(field.picklistValues.filter((p) => p.active).map((p) => p.value));
    const chosen = field.type === 'multipicklist' ? value.split(';') : [value];
    const bad = chosen.find((v) => !allowed.has(v));
    if (bad !== undefined) {
      throw restError(
        400,
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${field.label}: bad value for restricted picklist field: ${bad}`,
        [field.name],
      );
    }
  }
  return value;
}

/** Reference fields: garbled → MALFORMED_ID, unknown → INVALID_CROSS_REFERENCE_KEY, wrong object → FIELD_INTEGRITY_EXCEPTION. */
function checkReference(org: OrgRuntime, field: FieldDescribe, raw: unknown): string {
  const id = typeof raw === 'string' ? normalizeId(raw) : undefined;
  if (!id) {
    throw restError(400, 'MALFORMED_ID', `${field.label}: id value of incorrect type: ${String(raw)}`, [
      field.name,
    ]);
  }
  const target = org.schema.objectForId(id);
  if (!target || !field.referenceTo.includes(target.name)) {
    throw restError(400, 'FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${id}`, [
      field.name,
    ]);
  }
  if (!org.store.get(id)) {
    throw restError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]);
  }
  return id;
}

/**
 * A parent named by external id instead of Id: `"Account": {"AICall_External_Id__c": "acct-1"}` (§3.3);
 * polymorphic relationships need `attributes.type`. Undefined when `key` is no relationship name.
 */
function relationshipByExternalId(
  org: OrgRuntime,
  type: SObjectType,
  key: string,
  raw: unknown,
): { field: FieldDescribe; id: string } | undefined {
  const field = type.fields.find((f) => f.relationshipName?.toLowerCase() === key.toLowerCase());
  if (!field || typeof raw !== 'object' || raw === null) return undefined;
  const { attributes, ...keys } = raw as Record<string, unknown> & { attributes?: { type?: string } };
  const target = org.schema.object(attributes?.type ?? field.referenceTo[0]);
  const entries = Object.entries(keys);
  const externalField = entries.length === 1 ? target?.field(entries[0][0]) : undefined;
  const value = entries[0]?.[1];
  if (!target || !externalField?.externalId || (typeof value !== 'string' && typeof value !== 'number')) {
    throw restError(400, 'INVALID_FIELD', `${key}: give exactly one external id field of the parent object`);
  }
  const ids = org.store.findByIndexedValue(target.name, externalField.name, value);
  if (ids.length !== 1) {
    const problem = ids.length === 0 ? 'not found' : 'matched multiple records';
    throw restError(
      400,
      'INVALID_FIELD',
      `Foreign key external ID: ${value} ${problem} for field ${externalField.name} in entity ${target.name}`,
    );
  }
  return { field, id: ids[0] };
}

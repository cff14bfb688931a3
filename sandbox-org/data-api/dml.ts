import type { OrgRuntime } from '../org/org-runtime';
import type { SObjectType } from '../schema/sobject-type';
import type { SObjectRecord } from '../store/record-store';
import { conditionHolds } from '../org/conditions';
import { notFound, restError } from '../http/errors';
import { normalizeId } from '../store/ids';
import { formatDateTime } from '../util/dates';
import { checkDuplicateRules } from './duplicate-rules';
import { normalizeFieldValues, type WriteMode } from './field-values';

/** Objects whose assignment rules `Sforce-Auto-Assign` runs (§7). */
const ASSIGNABLE_OBJECTS = new Set(['Lead', 'Account', 'Case']);

/** Who writes, and which org rules run on the save. */
export interface WriteContext {
  org: OrgRuntime;
  userId: string;
  /** Assignment rules (`Sforce-Auto-Assign`, absent = TRUE, §7). */
  autoAssign: boolean;
  /** Standard duplicate rules may block the save (not with `Sforce-Duplicate-Rule-Header: allowSave=true`). */
  enforceDuplicateRules: boolean;
  /** The request's API version, for record URLs in error bodies. */
  apiVersion: string;
}

export function writableType(org: OrgRuntime, objectName: string): SObjectType {
  const type = org.schema.object(objectName);
  if (!type) throw notFound();
  if (type.readOnly) {
    throw restError(400, 'INVALID_TYPE', `sObject type '${type.name}' is not supported for this operation.`);
  }
  return type;
}

/**
 * A live record of `type` by 15/18-char id: garbled or other-object ids → MALFORMED_ID (§3.2),
 * deleted → ENTITY_IS_DELETED, absent → NOT_FOUND.
 */
export function existingRecord(org: OrgRuntime, type: SObjectType, rawId: string): SObjectRecord {
  const id = normalizeId(rawId);
  if (!id || !id.startsWith(type.keyPrefix)) {
    const idLabel = type.field('Id')?.label ?? 'Record ID';
    throw restError(400, 'MALFORMED_ID', `${idLabel}: id value of incorrect type: ${rawId}`, ['Id']);
  }
  const found = org.store.get(id);
  if (found) return found.record;
  if (org.store.deletedObjectOf(id)) throw restError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  throw notFound();
}

export function createRecord(ctx: WriteContext, type: SObjectType, body: Record<string, unknown>): string {
  const values = normalizeFieldValues(ctx.org, type, body, 'create');
  const id = ctx.org.ids.next(type.keyPrefix);
  const record = { ...defaultsOnCreate(ctx, type, id), ...values, Id: id } as SObjectRecord;
  finishRecord(ctx, type, record, 'create');
  ctx.org.store.insert(type.name, record);
  return id;
}

export function updateRecord(
  ctx: WriteContext,
  type: SObjectType,
  existing: SObjectRecord,
  body: Record<string, unknown>,
): void {
  const values = normalizeFieldValues(ctx.org, type, body, 'update');
  const now = formatDateTime(Date.now());
  const record: SObjectRecord = {
    ...existing,
    ...values,
    LastModifiedDate: now,
    SystemModstamp: now,
    LastModifiedById: ctx.userId,
  };
  finishRecord(ctx, type, record, 'update');
  ctx.org.store.replace(record);
}

export function deleteRecord(org: OrgRuntime, existing: SObjectRecord): void {
  org.store.delete(existing.Id);
}

export type UpsertOutcome =
  { kind: 'created'; id: string } | { kind: 'updated'; id: string } | { kind: 'multiple'; ids: string[] };

/** Upsert by external id (§3.3): the body must carry neither `Id` nor the external-id field itself. */
export function upsertRecord(
  ctx: WriteContext,
  type: SObjectType,
  fieldName: string,
  value: string,
  body: Record<string, unknown>,
  updateOnly = false,
): UpsertOutcome {
  const field = type.field(fieldName);
  if (!field || !(field.externalId || field.name === 'Id')) {
    throw restError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  for (const key of Object.keys(body)) {
    const bodyField = type.field(key);
    if (bodyField && (bodyField.name === 'Id' || bodyField.name === field.name)) {
      throw restError(
        400,
        'INVALID_FIELD',
        `Unable to create/update fields: ${bodyField.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [bodyField.name],
      );
    }
  }
  if (field.name === 'Id') {
    updateRecord(ctx, type, existingRecord(ctx.org, type, value), body);
    return { kind: 'updated', id: normalizeId(value) ?? value };
  }
  const matches = ctx.org.store.findByIndexedValue(type.name, field.name, value);
  if (matches.length > 1) return { kind: 'multiple', ids: matches };
  if (matches.length === 1) {
    updateRecord(ctx, type, existingRecord(ctx.org, type, matches[0]), body);
    return { kind: 'updated', id: matches[0] };
  }
  // `?updateOnly=true` never creates (§3.3)
  if (updateOnly) throw notFound();
  return { kind: 'created', id: createRecord(ctx, type, { ...body, [field.name]: value }) };
}

function defaultsOnCreate(ctx: WriteContext, type: SObjectType, id: string): Record<string, unknown> {
  const now = formatDateTime(Date.now());
  const defaults: Record<string, unknown> = {};
  for (const field of type.fields) {
    const picklistDefault = field.picklistValues.find((p) => p.defaultValue)?.value;
    defaults[field.name] = picklistDefault ?? field.defaultValue;
  }
  Object.assign(defaults, {
    Id: id,
    IsDeleted: false,
    CreatedDate: now,
    CreatedById: ctx.userId,
    LastModifiedDate: now,
    LastModifiedById: ctx.userId,
    SystemModstamp: now,
  });
  if (type.ownable) defaults.OwnerId = ctx.userId;
  return defaults;
}

/** Platform-computed fields, then required fields, validation rules, uniqueness, duplicate and assignment rules. */
function finishRecord(ctx: WriteContext, type: SObjectType, record: SObjectRecord, mode: WriteMode): void {
  computeDerivedFields(type, record);
  checkRequiredFields(type, record);
  for (const rule of ctx.org.validationRules) {
    if (rule.object === type.name && conditionHolds(rule.when, record)) {
      throw restError(
        400,
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        rule.errorMessage,
        rule.errorField ? [rule.errorField] : [],
      );
    }
  }
  checkUniqueValues(ctx.org, type, record);
  if (ctx.enforceDuplicateRules) checkDuplicateRules(ctx.org, type.name, record, ctx.apiVersion);
  if (ctx.autoAssign && ASSIGNABLE_OBJECTS.has(type.name)) applyAssignmentRules(ctx.org, type, record);
  if (mode === 'create' && type.custom && (record.Name === null || record.Name === undefined))
    record.Name = record.Id;
}

function computeDerivedFields(type: SObjectType, record: SObjectRecord): void {
  if (type.field('FirstName') && type.field('LastName') && type.field('Name')?.createable === false) {
    record.Name = [record.FirstName, record.LastName].filter((part) => part).join(' ');
  }
  if (type.name === 'Task') {
    record.IsClosed = record.Status === 'Completed';
    if (record.IsClosed && !record.CompletedDateTime) record.CompletedDateTime = formatDateTime(Date.now());
  }
  if (type.name === 'Opportunity') {
    record.IsClosed = record.StageName === 'Closed Won' || record.StageName === 'Closed Lost';
    record.IsWon = record.StageName === 'Closed Won';
  }
}

/** Required = createable && !nillable && !defaultedOnCreate; booleans never (§3.4). */
function checkRequiredFields(type: SObjectType, record: SObjectRecord): void {
  const missing = type.fields
    .filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean')
    .filter((f) => record[f.name] === null || record[f.name] === undefined || record[f.name] === '')
    .map((f) => f.name);
  if (missing.length > 0) {
    throw restError(
      400,
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  }
}

function checkUniqueValues(org: OrgRuntime, type: SObjectType, record: SObjectRecord): void {
  for (const field of type.fields) {
    if (!field.unique) continue;
    const value = record[field.name];
    if (value === null || value === undefined || value === '') continue;
    const other = org.store.findByIndexedValue(type.name, field.name, value).find((id) => id !== record.Id);
    if (other) {
      throw restError(
        400,
        'DUPLICATE_VALUE',
        `duplicate value found: ${field.name} duplicates value on record with id: ${other}`,
        [],
      );
    }
  }
}

function applyAssignmentRules(org: OrgRuntime, type: SObjectType, record: SObjectRecord): void {
  for (const rule of org.assignmentRules) {
    if (rule.object !== type.name) continue;
    const entry = rule.entries.find((e) => !e.when || conditionHolds(e.when, record));
    const owner = entry && org.userByRef(entry.assignTo);
    if (owner) record.OwnerId = owner.id;
    return;
  }
}

import type { SObjectType } from '../schema/sobject-type';
import type { SObjectRecord } from '../store/record-store';
import { notFound, restError, RestError } from '../http/errors';
import type { DataResponse } from '../http/reply';
import { createRecord, deleteRecord, existingRecord, updateRecord, upsertRecord, writableType } from './dml';
import { objectBody, recordUrl, writeContext, type DataContext, type DataRequest } from './data-context';

/** `upsert` answers 200 with `created:false` from v46.0, 204 before (§3.3). */
const UPSERT_BODY_SINCE_MAJOR = 46;

function objectType(ctx: DataContext, objectName: string): SObjectType {
  const type = ctx.org.schema.object(objectName);
  if (!type) throw notFound();
  return type;
}

/** A record as the REST API shows it: `attributes` first, then the requested (or all) fields, nulls kept. */
export function shapeRecord(ctx: DataContext, type: SObjectType, record: SObjectRecord, fields?: string[]) {
  const shaped: Record<string, unknown> = {
    attributes: { type: type.name, url: recordUrl(ctx, type.name, record.Id) },
  };
  for (const name of fields ?? type.fields.map((f) => f.name)) {
    const field = type.field(name);
    if (!field)
      throw restError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${type.name}`);
    shaped[field.name] = record[field.name] ?? null;
  }
  return shaped;
}

export function requestedFields(request: DataRequest): string[] | undefined {
  const fields = request.query.get('fields');
  return fields
    ? fields
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
    : undefined;
}

/** GET treats a deleted record as simply absent. */
function readableRecord(ctx: DataContext, type: SObjectType, id: string): SObjectRecord {
  try {
    return existingRecord(ctx.org, type, id);
  } catch (error) {
    if (error instanceof RestError && error.items[0].errorCode === 'ENTITY_IS_DELETED') throw notFound();
    throw error;
  }
}

export const saveResult = (id: string) => ({ id, success: true, errors: [] as unknown[] });

/** POST /sobjects/X → 201 `{id, success, errors}` + Location (§3.1). */
export function createSObject(ctx: DataContext, request: DataRequest, objectName: string): DataResponse {
  const type = writableType(ctx.org, objectName);
  const id = createRecord(writeContext(ctx, request), type, objectBody(request));
  return { status: 201, body: saveResult(id), headers: { location: recordUrl(ctx, type.name, id) } };
}

export function getSObject(
  ctx: DataContext,
  request: DataRequest,
  objectName: string,
  id: string,
): DataResponse {
  const type = objectType(ctx, objectName);
  return {
    status: 200,
    body: shapeRecord(ctx, type, readableRecord(ctx, type, id), requestedFields(request)),
  };
}

/** PATCH → 204 without body (§3.2). */
export function updateSObject(
  ctx: DataContext,
  request: DataRequest,
  objectName: string,
  id: string,
): DataResponse {
  const type = writableType(ctx.org, objectName);
  updateRecord(writeContext(ctx, request), type, existingRecord(ctx.org, type, id), objectBody(request));
  return { status: 204 };
}

/** DELETE → 204; again → 404 ENTITY_IS_DELETED (§3.2). */
export function deleteSObject(
  ctx: DataContext,
  _request: DataRequest,
  objectName: string,
  id: string,
): DataResponse {
  const type = writableType(ctx.org, objectName);
  deleteRecord(ctx.org, existingRecord(ctx.org, type, id));
  return { status: 204 };
}

/** PATCH /sobjects/X/ExtField/value (§3.3): 201 created, 200 (v46+) or 204 updated, 300 several matches. */
export function upsertSObject(
  ctx: DataContext,
  request: DataRequest,
  objectName: string,
  fieldName: string,
  value: string,
): DataResponse {
  const type = writableType(ctx.org, objectName);
  const updateOnly = request.query.get('updateOnly') === 'true';
  const outcome = upsertRecord(
    writeContext(ctx, request),
    type,
    fieldName,
    value,
    objectBody(request),
    updateOnly,
  );
  switch (outcome.kind) {
    case 'multiple':
      return { status: 300, body: outcome.ids.map((id) => recordUrl(ctx, type.name, id)) };
    case 'created':
      return {
        status: 201,
        body: { ...saveResult(outcome.id), created: true },
        headers: { location: recordUrl(ctx, type.name, outcome.id) },
      };
    case 'updated':
      return Number(ctx.version.split('.')[0]) >= UPSERT_BODY_SINCE_MAJOR
        ? { status: 200, body: { ...saveResult(outcome.id), created: false } }
        : { status: 204 };
  }
}

/** GET /sobjects/X/ExtField/value: the record, or 300 with the candidates. */
export function getSObjectByExternalId(
  ctx: DataContext,
  request: DataRequest,
  objectName: string,
  fieldName: string,
  value: string,
): DataResponse {
  const type = objectType(ctx, objectName);
  const field = type.field(fieldName);
  if (!field?.externalId) {
    throw restError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  const ids = ctx.org.store.findByIndexedValue(type.name, field.name, value);
  if (ids.length > 1) return { status: 300, body: ids.map((id) => recordUrl(ctx, type.name, id)) };
  if (ids.length === 0) throw notFound();
  return getSObject(ctx, request, type.name, ids[0]);
}

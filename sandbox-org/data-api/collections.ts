import type { OrgRuntime } from '../org/org-runtime';
import { restError, RestError, toSaveResultErrors, type SaveResultError } from '../http/errors';
import type { DataResponse } from '../http/reply';
import { normalizeId } from '../store/ids';
import {
  createRecord,
  deleteRecord,
  existingRecord,
  updateRecord,
  upsertRecord,
  writableType,
  type WriteContext,
} from './dml';
import { objectBody, writeContext, type DataContext, type DataRequest } from './data-context';
import { shapeRecord } from './sobjects';

/** sObject Collections (§5.2): per-record SaveResults, errors with `statusCode`, optional allOrNone. */

const MAX_RECORDS = 200;

type SaveResult = { id?: string; success: boolean; errors: SaveResultError[]; created?: boolean };

const ROLLED_BACK: SaveResultError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

interface CollectionInput {
  allOrNone: boolean;
  records: Record<string, unknown>[];
}

function collectionInput(request: DataRequest): CollectionInput {
  const body = objectBody(request);
  if (!Array.isArray(body.records)) throw restError(400, 'INVALID_FIELD', 'The records field is required.');
  if (body.records.length > MAX_RECORDS) {
    throw restError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
    );
  }
  return { allOrNone: body.allOrNone === true, records: body.records as Record<string, unknown>[] };
}

function recordType(org: OrgRuntime, record: Record<string, unknown>) {
  const attributes = record.attributes as { type?: unknown } | undefined;
  if (typeof attributes?.type !== 'string') {
    throw restError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  }
  return writableType(org, attributes.type);
}

/** Runs one write per item; with allOrNone, any failure rolls everything back and marks the rest. */
function runEach<T>(
  org: OrgRuntime,
  allOrNone: boolean,
  items: T[],
  write: (item: T) => SaveResult,
): SaveResult[] {
  const mark = org.store.savepoint();
  const results = items.map((item) => {
    try {
      return write(item);
    } catch (error) {
      if (!(error instanceof RestError)) {
        org.store.rollbackTo(mark);
        throw error;
      }
      return { success: false, errors: toSaveResultErrors(error) };
    }
  });
  if (allOrNone && results.some((r) => !r.success)) {
    org.store.rollbackTo(mark);
    return results.map((r) => (r.success ? { id: r.id, success: false, errors: [ROLLED_BACK] } : r));
  }
  org.store.release();
  return results;
}

function withoutIdKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'id' && key !== 'Id'));
}

export function createCollection(ctx: DataContext, request: DataRequest): DataResponse {
  const { allOrNone, records } = collectionInput(request);
  const write = writeContext(ctx, request);
  return {
    status: 200,
    body: runEach(ctx.org, allOrNone, records, (record) => ({
      id: createRecord(write, recordType(ctx.org, record), record),
      success: true,
      errors: [],
    })),
  };
}

export function updateCollection(ctx: DataContext, request: DataRequest): DataResponse {
  const { allOrNone, records } = collectionInput(request);
  const write = writeContext(ctx, request);
  return {
    status: 200,
    body: runEach(ctx.org, allOrNone, records, (record) => {
      const type = recordType(ctx.org, record);
      const id = typeof (record.id ?? record.Id) === 'string' ? String(record.id ?? record.Id) : '';
      const existing = existingRecord(ctx.org, type, id);
      updateRecord(write, type, existing, withoutIdKeys(record));
      return { id: existing.Id, success: true, errors: [] };
    }),
  };
}

export function upsertCollection(
  ctx: DataContext,
  request: DataRequest,
  objectName: string,
  fieldName: string,
) {
  const { allOrNone, records } = collectionInput(request);
  const write: WriteContext = writeContext(ctx, request);
  const type = writableType(ctx.org, objectName);
  return {
    status: 200,
    body: runEach(ctx.org, allOrNone, records, (record) => {
      const field = type.field(fieldName);
      const value = field ? record[field.name] : undefined;
      const key = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
      if (!field || key === undefined) {
        throw restError(400, 'MISSING_ARGUMENT', `${fieldName} not specified`, [fieldName]);
      }
      const rest = Object.fromEntries(
        Object.entries(record).filter(([k]) => type.field(k)?.name !== field.name),
      );
      const outcome = upsertRecord(write, type, field.name, key, rest);
      if (outcome.kind === 'multiple') {
        throw restError(
          400,
          'DUPLICATE_EXTERNAL_ID',
          `${field.label}: more than one record found for external id field: [${outcome.ids.join(', ')}]`,
          [field.name],
        );
      }
      return { id: outcome.id, success: true, errors: [], created: outcome.kind === 'created' };
    }),
  };
}

export function deleteCollection(ctx: DataContext, request: DataRequest): DataResponse {
  const ids = (request.query.get('ids') ?? '').split(',').filter(Boolean);
  if (ids.length > MAX_RECORDS)
    throw restError(400, 'EXCEEDED_ID_LIMIT', `Delete limit is ${MAX_RECORDS} records`);
  const allOrNone = request.query.get('allOrNone') === 'true';
  return {
    status: 200,
    body: runEach(ctx.org, allOrNone, ids, (rawId) => {
      const type = ctx.org.schema.objectForId(normalizeId(rawId) ?? '');
      if (!type) throw restError(400, 'MALFORMED_ID', `malformed id ${rawId}`, []);
      const existing = existingRecord(ctx.org, writableType(ctx.org, type.name), rawId);
      deleteRecord(ctx.org, existing);
      return { id: existing.Id, success: true, errors: [] };
    }),
  };
}

/** GET `?ids=&fields=` or POST `{ids, fields}`: records in input order, `null` for those not found. */
export function retrieveCollection(ctx: DataContext, request: DataRequest, objectName: string): DataResponse {
  const type = ctx.org.schema.object(objectName);
  if (!type) throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const fromBody = request.method === 'POST' ? objectBody(request) : {};
  const list = (key: 'ids' | 'fields'): string[] =>
    Array.isArray(fromBody[key])
      ? (fromBody[key] as string[])
      : (request.query.get(key) ?? '').split(',').filter(Boolean);
  const fields = list('fields');
  if (fields.length === 0) throw restError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
  return {
    status: 200,
    body: list('ids').map((rawId) => {
      const id = normalizeId(rawId);
      const found = id ? ctx.org.store.get(id) : undefined;
      return found && found.objectName === type.name ? shapeRecord(ctx, type, found.record, fields) : null;
    }),
  };
}

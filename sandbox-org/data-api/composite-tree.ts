import type { SObjectType } from '../schema/sobject-type';
import { restError, RestError, toSaveResultErrors, type SaveResultError } from '../http/errors';
import type { DataResponse } from '../http/reply';
import { createRecord, writableType } from './dml';
import { objectBody, writeContext, type DataContext, type DataRequest } from './data-context';

/**
 * `POST /composite/tree/{SObject}` (§5.3): parent records with nested child records, all or nothing.
 * 201 `{hasErrors:false, results:[{referenceId,id}]}`, or 400 `{hasErrors:true, results:[{referenceId, errors}]}`.
 */

const MAX_TREE_RECORDS = 200;

type TreeRecord = Record<string, unknown> & { attributes?: { type?: string; referenceId?: string } };
type TreeResult = { referenceId: string; id: string } | { referenceId: string; errors: SaveResultError[] };

function countRecords(records: TreeRecord[], type: SObjectType, ctx: DataContext): number {
  return records.reduce((sum, record) => {
    const nested = nestedChildren(ctx, type, record);
    return sum + 1 + nested.reduce((n, child) => n + countRecords(child.records, child.type, ctx), 0);
  }, 0);
}

/** Child record lists under relationship names of `type` (e.g. `Contacts: {records: [...]}`). */
function nestedChildren(ctx: DataContext, type: SObjectType, record: TreeRecord) {
  return type.childRelationships.flatMap((relationship) => {
    const nested = record[relationship.relationshipName] as { records?: TreeRecord[] } | undefined;
    if (!nested?.records) return [];
    return [
      { relationship, type: writableType(ctx.org, relationship.childSObject), records: nested.records },
    ];
  });
}

export function postTree(ctx: DataContext, request: DataRequest, objectName: string): DataResponse {
  const rootType = writableType(ctx.org, objectName);
  const records = objectBody(request).records;
  if (!Array.isArray(records)) throw restError(400, 'JSON_PARSER_ERROR', 'The records field is required.');
  if (countRecords(records as TreeRecord[], rootType, ctx) > MAX_TREE_RECORDS) {
    throw restError(400, 'LIMIT_EXCEEDED', `Too many records: the limit is ${MAX_TREE_RECORDS}`);
  }
  const write = writeContext(ctx, request);
  const results: TreeResult[] = [];

  const insert = (type: SObjectType, record: TreeRecord, parentLink: Record<string, string>): void => {
    const referenceId = record.attributes?.referenceId ?? '';
    const children = nestedChildren(ctx, type, record);
    const childKeys = new Set(children.map((c) => c.relationship.relationshipName));
    const fields = Object.fromEntries(
      Object.entries(record).filter(([key]) => key !== 'attributes' && !childKeys.has(key)),
    );
    try {
      const id = createRecord(write, type, { ...fields, ...parentLink });
      results.push({ referenceId, id });
      for (const child of children) {
        for (const childRecord of child.records)
          insert(child.type, childRecord, { [child.relationship.field]: id });
      }
    } catch (error) {
      if (!(error instanceof RestError)) throw error;
      results.push({ referenceId, errors: toSaveResultErrors(error) });
    }
  };

  const mark = ctx.org.store.savepoint();
  try {
    for (const record of records as TreeRecord[]) insert(rootType, record, {});
  } catch (error) {
    ctx.org.store.rollbackTo(mark);
    throw error;
  }
  const failures = results.filter((r) => 'errors' in r);
  if (failures.length > 0) {
    ctx.org.store.rollbackTo(mark);
    return { status: 400, body: { hasErrors: true, results: failures } };
  }
  ctx.org.store.release();
  return { status: 201, body: { hasErrors: false, results } };
}

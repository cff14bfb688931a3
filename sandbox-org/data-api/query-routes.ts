import {
  executeParameterizedSearch,
  executeSoql,
  executeSosl,
  parameterizedSearchFromQueryString,
  SalesforceQueryError,
  type ParameterizedSearchRequest,
} from '../query';
import { restError } from '../http/errors';
import type { DataResponse } from '../http/reply';
import { dataUrl, objectBody, type DataContext, type DataRequest } from './data-context';
import { orgQuerySchema } from './org-query-schema';

/** SOQL with batches and `nextRecordsUrl` paging (§4.1); SOSL and parameterized search (§4.2, §4.3). */

const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;
const MAX_OPEN_CURSORS = 1000;

export interface QueryCursor {
  records: unknown[];
  batchSize: number;
}

/** Query engine failures become the REST error array with HTTP 400. */
function runQuery<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof SalesforceQueryError) throw restError(400, error.errorCode, error.message);
    throw error;
  }
}

/** `Sforce-Query-Options: batchSize=N` (200–2000, default 2000; §4.1). */
function batchSize(request: DataRequest): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(request.headers['sforce-query-options'] ?? '');
  if (!match) return DEFAULT_BATCH_SIZE;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(match[1])));
}

function page(
  ctx: DataContext,
  resource: string,
  locator: string,
  cursor: QueryCursor,
  offset: number,
  totalSize: number,
) {
  const end = offset + cursor.batchSize;
  const done = end >= cursor.records.length;
  return {
    totalSize,
    done,
    ...(done ? {} : { nextRecordsUrl: dataUrl(ctx, `/${resource}/${locator}-${end}`) }),
    records: cursor.records.slice(offset, end),
  };
}

/** `GET /query?q=` and `/queryAll?q=` (queryAll also sees deleted records in Salesforce; here the same set). */
export function query(ctx: DataContext, request: DataRequest, resource: 'query' | 'queryAll'): DataResponse {
  const soql = request.query.get('q');
  if (!soql?.trim()) throw restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const result = runQuery(() => executeSoql(soql, orgQuerySchema(ctx.org, ctx.version)));
  const cursor: QueryCursor = { records: result.records, batchSize: batchSize(request) };
  if (result.records.length <= cursor.batchSize) {
    return { status: 200, body: { totalSize: result.totalSize, done: true, records: result.records } };
  }
  const locator = ctx.org.ids.next('01g');
  const cursors = ctx.org.queryCursors;
  if (cursors.size >= MAX_OPEN_CURSORS) cursors.delete(cursors.keys().next().value ?? '');
  cursors.set(locator, cursor);
  return { status: 200, body: page(ctx, resource, locator, cursor, 0, result.totalSize) };
}

/** `GET /query/<locator>-<offset>`: the next batch; an unknown locator is INVALID_QUERY_LOCATOR. */
export function queryMore(
  ctx: DataContext,
  resource: 'query' | 'queryAll',
  locatorAndOffset: string,
): DataResponse {
  const match = /^(.+)-(\d+)$/.exec(locatorAndOffset);
  const cursor = match ? ctx.org.queryCursors.get(match[1]) : undefined;
  if (!match || !cursor || Number(match[2]) >= cursor.records.length) {
    throw restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  }
  return {
    status: 200,
    body: page(ctx, resource, match[1], cursor, Number(match[2]), cursor.records.length),
  };
}

/** `GET /search?q=<SOSL>` → `{searchRecords}` (v37+ shape, §4.2). */
export function search(ctx: DataContext, request: DataRequest): DataResponse {
  const sosl = request.query.get('q');
  if (!sosl?.trim()) {
    throw restError(
      400,
      'MALFORMED_SEARCH',
      'No search term found. The search term must be enclosed in braces.',
    );
  }
  return { status: 200, body: runQuery(() => executeSosl(sosl, orgQuerySchema(ctx.org, ctx.version))) };
}

function queryStringObject(query: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    result[key] = values.length === 1 ? values[0] : values;
  }
  return result;
}

/** `/parameterizedSearch`: GET with query parameters or POST with a JSON body (§4.3). */
export function parameterizedSearch(ctx: DataContext, request: DataRequest): DataResponse {
  const schema = orgQuerySchema(ctx.org, ctx.version);
  const result = runQuery(() => {
    const params =
      request.method === 'POST'
        ? (objectBody(request) as unknown as ParameterizedSearchRequest)
        : parameterizedSearchFromQueryString(queryStringObject(request.query));
    return executeParameterizedSearch(params, schema);
  });
  return { status: 200, body: result };
}

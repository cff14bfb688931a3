import { restError, RestError } from '../http/errors';
import type { DataResponse } from '../http/reply';
import { checkVersion } from './api-versions';
import { COMPOSITE_TARGETS, refuseUnsupportedTargets } from './composite-targets';
import { UnresolvedReference, resolveReferences, type ReferenceResults } from './composite-references';
import { dataUrl, objectBody, type DataContext, type DataHandler, type DataRequest } from './data-context';

/** `POST /composite` (§5.1): up to 25 subrequests run through the same handlers as plain requests. */

const MAX_SUBREQUESTS = 25;
const MAX_QUERIES_AND_COLLECTIONS = 5;
const REFERENCE_ID = /^[A-Za-z0-9][A-Za-z0-9_]*$/;
const FORBIDDEN_HEADERS = new Set(['accept', 'authorization', 'content-type']);
export const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const NULL_REFERENCES_RESOLVE_SINCE_MAJOR = 52;
const ROLLED_BACK_MESSAGE =
  'The transaction was rolled back since another operation in the same transaction failed.';

export interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

/** Envelope errors fail the whole request with a top-level 400 [belief for the exact codes/messages]. */
export function validSubrequests(list: unknown, maxSubrequests = MAX_SUBREQUESTS): Subrequest[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw restError(
      400,
      'JSON_PARSER_ERROR',
      'The compositeRequest field is required and must be a non-empty array.',
    );
  }
  if (list.length > maxSubrequests) {
    throw restError(
      400,
      'LIMIT_EXCEEDED',
      `Exceeded max limit of subrequests allowed in a composite request: ${maxSubrequests}`,
    );
  }
  const seen = new Set<string>();
  let queriesAndCollections = 0;
  for (const item of list as Partial<Subrequest>[]) {
    const { method, url, referenceId, httpHeaders } = item;
    if (typeof method !== 'string' || !METHODS.has(method) || typeof url !== 'string') {
      throw restError(
        400,
        'INVALID_INPUT',
        `Each subrequest needs a method (GET, POST, PUT, PATCH, DELETE) and a url.`,
      );
    }
    if (typeof referenceId !== 'string' || !REFERENCE_ID.test(referenceId)) {
      throw restError(
        400,
        'INVALID_INPUT',
        `Invalid reference specified. Provided referenceId ('${String(referenceId)}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
      );
    }
    if (seen.has(referenceId))
      throw restError(400, 'INVALID_INPUT', `Duplicate referenceId provided in the request: ${referenceId}`);
    seen.add(referenceId);
    const forbidden = Object.keys(httpHeaders ?? {}).find((name) =>
      FORBIDDEN_HEADERS.has(name.toLowerCase()),
    );
    if (forbidden) {
      throw restError(
        400,
        'INVALID_INPUT',
        `The ${forbidden} header is not allowed in a composite subrequest; it is inherited from the composite request.`,
      );
    }
    if (/\/(query|queryAll|composite\/sobjects)(\/|\?|$)/.test(url)) queriesAndCollections += 1;
  }
  if (queriesAndCollections > MAX_QUERIES_AND_COLLECTIONS) {
    throw restError(
      400,
      'LIMIT_EXCEEDED',
      `Exceeded max limit of query and sObject Collections subrequests allowed in a composite request: ${MAX_QUERIES_AND_COLLECTIONS}`,
    );
  }
  return list as Subrequest[];
}

/** `Location` and friends, spelled as Salesforce spells them in subresponses. */
function headerCase(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()),
      value,
    ]),
  );
}

/** A subrequest that "failed" for allOrNone: an error status, or a collection with a failed record (§5.1). */
function failed(response: DataResponse): boolean {
  if (response.status >= 400) return true;
  return (
    Array.isArray(response.body) && response.body.some((r: { success?: boolean }) => r?.success === false)
  );
}

export function parseSubrequestUrl(url: string): { version: string; path: string; query: URLSearchParams } {
  const parsed = new URL(url.startsWith('/') ? url : `/${url}`, 'http://composite');
  const match = /^\/services\/data\/(v[^/]+)(\/.*)?$/.exec(parsed.pathname);
  const version = match ? checkVersion(match[1]) : undefined;
  if (!match || version?.kind !== 'served')
    throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return { version: version.version, path: match[2] ?? '/', query: parsed.searchParams };
}

export function compositeResource(ctx: DataContext): DataResponse {
  const names = ['tree', 'batch', 'sobjects', 'graph'];
  return { status: 200, body: Object.fromEntries(names.map((n) => [n, dataUrl(ctx, `/composite/${n}`)])) };
}

export function postComposite(ctx: DataContext, request: DataRequest, dispatch: DataHandler): DataResponse {
  const body = objectBody(request);
  const subrequests = validSubrequests(body.compositeRequest);
  refuseUnsupportedTargets(
    subrequests.map((sub) => sub.url),
    COMPOSITE_TARGETS,
  );
  const { compositeResponse } = runSubrequests(ctx, request, subrequests, body.allOrNone === true, dispatch);
  return { status: 200, body: { compositeResponse } };
}

/**
 * Runs subrequests in order, feeding each result to later references. With allOrNone, the first failure
 * rolls everything back and every other subrequest, run or not, reports PROCESSING_HALTED (§5.1).
 */
export function runSubrequests(
  ctx: DataContext,
  request: DataRequest,
  subrequests: Subrequest[],
  allOrNone: boolean,
  dispatch: DataHandler,
): { compositeResponse: SubResponse[]; succeeded: boolean } {
  const bodies = new Map<string, unknown>();
  const results: ReferenceResults = {
    bodies,
    nullResolves: Number(ctx.version.split('.')[0]) >= NULL_REFERENCES_RESOLVE_SINCE_MAJOR,
  };
  const responses: SubResponse[] = [];
  const mark = ctx.org.store.savepoint();
  let failedReferenceId: string | undefined;

  for (const sub of subrequests) {
    let response: DataResponse;
    try {
      response = runSubrequest(ctx, request, sub, results, dispatch);
    } catch (error) {
      ctx.org.store.rollbackTo(mark);
      throw error;
    }
    responses.push({
      body: response.body ?? null,
      httpHeaders: headerCase(response.headers),
      httpStatusCode: response.status,
      referenceId: sub.referenceId,
    });
    if (failed(response)) {
      failedReferenceId ??= sub.referenceId;
      if (allOrNone) break;
    } else {
      bodies.set(sub.referenceId, JSON.parse(JSON.stringify(response.body ?? null)));
    }
  }

  if (allOrNone && failedReferenceId !== undefined) {
    ctx.org.store.rollbackTo(mark);
    const halted = (referenceId: string): SubResponse => ({
      body: [{ errorCode: 'PROCESSING_HALTED', message: ROLLED_BACK_MESSAGE }],
      httpHeaders: {},
      httpStatusCode: 400,
      referenceId,
    });
    return {
      compositeResponse: subrequests.map((sub, i) =>
        sub.referenceId === failedReferenceId ? responses[i] : halted(sub.referenceId),
      ),
      succeeded: false,
    };
  }
  ctx.org.store.release();
  return { compositeResponse: responses, succeeded: failedReferenceId === undefined };
}

function runSubrequest(
  ctx: DataContext,
  request: DataRequest,
  sub: Subrequest,
  results: ReferenceResults,
  dispatch: DataHandler,
): DataResponse {
  try {
    const url = String(resolveReferences(sub.url, results));
    const { version, path, query } = parseSubrequestUrl(url);
    const subHeaders = Object.fromEntries(
      Object.entries(sub.httpHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    return dispatch(
      { ...ctx, version },
      {
        method: sub.method,
        path,
        query,
        body: resolveReferences(sub.body, results),
        headers: { ...request.headers, ...subHeaders },
      },
    );
  } catch (error) {
    if (error instanceof UnresolvedReference) {
      return { status: 400, body: [{ errorCode: 'PROCESSING_HALTED', message: error.message }] };
    }
    if (error instanceof RestError) return { status: error.status, body: error.items };
    throw error;
  }
}

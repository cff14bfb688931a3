import { restError, RestError } from '../http/errors';
import type { DataResponse } from '../http/reply';
import { METHODS, parseSubrequestUrl } from './composite';
import { BATCH_TARGETS, refuseUnsupportedTargets } from './composite-targets';
import { objectBody, type DataContext, type DataHandler, type DataRequest } from './data-context';
import { spendApiRequest } from './limits';

/**
 * `POST /composite/batch` (§5.5): up to 25 independent subrequests, no references between them, each its own
 * transaction and each one API call. Unlike `/composite` it also reaches search, limits and Chatter (§4.4).
 */

const MAX_SUBREQUESTS = 25;
/** What a subrequest after the first failure answers with haltOnError [belief: sandbox-org/README.md]. */
const HALTED = {
  statusCode: 412,
  result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }],
};

interface BatchSubrequest {
  method: string;
  /** Absolute `/services/data/vXX.X/…`, whatever form the caller used. */
  url: string;
  richInput?: unknown;
}

interface BatchResult {
  statusCode: number;
  result: unknown;
}

/** `v62.0/sobjects/…` as documented, or the `/services/data/v62.0/…` form composite uses. */
function absoluteUrl(url: string): string {
  const relative = url.replace(/^\//, '');
  return relative.startsWith('services/data/') ? `/${relative}` : `/services/data/${relative}`;
}

function validBatchRequests(list: unknown): BatchSubrequest[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw restError(
      400,
      'JSON_PARSER_ERROR',
      'The batchRequests field is required and must be a non-empty array.',
    );
  }
  if (list.length > MAX_SUBREQUESTS) {
    throw restError(
      400,
      'LIMIT_EXCEEDED',
      `Exceeded max limit of subrequests allowed in a batch request: ${MAX_SUBREQUESTS}`,
    );
  }
  const subrequests = (list as Partial<BatchSubrequest>[]).map(({ method, url, richInput }) => {
    if (typeof method !== 'string' || !METHODS.has(method) || typeof url !== 'string') {
      throw restError(
        400,
        'INVALID_INPUT',
        'Each batch request needs a method (GET, POST, PUT, PATCH, DELETE) and a url.',
      );
    }
    return { method, url: absoluteUrl(url), richInput };
  });
  refuseUnsupportedTargets(
    subrequests.map((sub) => sub.url),
    BATCH_TARGETS,
  );
  return subrequests;
}

export function postBatch(ctx: DataContext, request: DataRequest, dispatch: DataHandler): DataResponse {
  const body = objectBody(request);
  const subrequests = validBatchRequests(body.batchRequests);
  const haltOnError = body.haltOnError === true;
  const results: BatchResult[] = [];
  let halted = false;
  for (const [index, sub] of subrequests.entries()) {
    if (halted) {
      results.push(HALTED);
      continue;
    }
    const result = runBatchSubrequest(ctx, request, sub, index, dispatch);
    results.push(result);
    halted = haltOnError && result.statusCode >= 400;
  }
  return { status: 200, body: { hasErrors: results.some((r) => r.statusCode >= 400), results } };
}

/** One subrequest with the batch's own headers; the batch request itself paid for the first one. */
function runBatchSubrequest(
  ctx: DataContext,
  request: DataRequest,
  sub: BatchSubrequest,
  index: number,
  dispatch: DataHandler,
): BatchResult {
  try {
    if (index > 0) spendApiRequest(ctx.org);
    const { version, path, query } = parseSubrequestUrl(sub.url);
    const response = dispatch(
      { ...ctx, version },
      { method: sub.method, path, query, body: sub.richInput, headers: request.headers },
    );
    return { statusCode: response.status, result: response.body ?? null };
  } catch (error) {
    if (error instanceof RestError) return { statusCode: error.status, result: error.items };
    throw error;
  }
}

import type { OrgRuntime } from '../org/org-runtime';
import type { Session } from '../oauth/session-store';
import type { SandboxState } from '../state/sandbox-state';
import type { DataResponse } from '../http/reply';
import type { WriteContext } from './dml';
import { restError } from '../http/errors';
import { allowsDuplicateSave } from './duplicate-rules';

/** The caller of one authenticated Data API request (a composite shares it with all its subrequests). */
export interface DataContext {
  state: SandboxState;
  org: OrgRuntime;
  session: Session;
  /** The API version of the URL, e.g. "62.0". */
  version: string;
}

/** One Data API operation, from a plain HTTP request or from a composite subrequest. */
export interface DataRequest {
  method: string;
  /** The path after `/services/data/vXX.X`, e.g. `/sobjects/Account/001…`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
}

export type DataHandler = (ctx: DataContext, request: DataRequest) => DataResponse;

export function writeContext(ctx: DataContext, request: DataRequest): WriteContext {
  return {
    org: ctx.org,
    userId: ctx.session.userId,
    autoAssign: (request.headers['sforce-auto-assign'] ?? 'TRUE').toUpperCase() !== 'FALSE',
    enforceDuplicateRules: !allowsDuplicateSave(request.headers['sforce-duplicate-rule-header']),
    apiVersion: ctx.version,
  };
}

export const dataUrl = (ctx: DataContext, path: string): string => `/services/data/v${ctx.version}${path}`;

export const recordUrl = (ctx: DataContext, objectName: string, id: string): string =>
  dataUrl(ctx, `/sobjects/${objectName}/${id}`);

/** The request body as a JSON object, or JSON_PARSER_ERROR as Salesforce answers anything else. */
export function objectBody(request: DataRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  const token = Array.isArray(body)
    ? 'START_ARRAY'
    : body === undefined || body === ''
      ? 'no content'
      : 'VALUE_STRING';
  throw restError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of SObject from ${token} at [line:1, column:1]`,
  );
}

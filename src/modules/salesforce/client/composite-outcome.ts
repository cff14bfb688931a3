import type { CompositeRequestBody, CompositeResponse } from './salesforce-client';
import { SalesforceError } from './salesforce-error';

const HALTED = 'PROCESSING_HALTED';

interface SalesforceErrorBody {
  errorCode?: string;
  message?: string;
  fields?: string[];
  /** DUPLICATES_DETECTED: the records the org's duplicate rule matched (salesforce-rest.md §6.1). */
  duplicateResult?: {
    matchResults?: Array<{ matchRecords?: Array<{ record?: { Id?: unknown } }> }>;
  };
}

type CompositeEntry = CompositeResponse['compositeResponse'][number];

/** The id of each record a write composite wrote, by the referenceId of its subrequest. */
export type WrittenIds = Record<string, string>;

/** The first record a duplicate rule named, if the error carries one. */
function duplicateMatchOf(error: SalesforceErrorBody): string | undefined {
  for (const result of error.duplicateResult?.matchResults ?? []) {
    const id = result.matchRecords?.find((match) => typeof match.record?.Id === 'string')?.record?.Id;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

function errorsOf(body: unknown): SalesforceErrorBody[] {
  return Array.isArray(body) ? (body as SalesforceErrorBody[]) : [];
}

/**
 * The classified failure of one failed subrequest: its first error that is not PROCESSING_HALTED (the
 * subrequests allOrNone rolled back name that), with the object its URL writes to.
 */
export function subrequestFailure(entry: CompositeEntry, url?: string): SalesforceError {
  const errors = errorsOf(entry.body);
  const error = errors.find((candidate) => candidate.errorCode !== HALTED) ?? errors[0] ?? {};
  const [object] = sObjectPathOf(url);
  return new SalesforceError({
    errorCode: error.errorCode ?? `ERROR_HTTP_${entry.httpStatusCode}`,
    message: error.message ?? 'Salesforce refused the request',
    salesforceStatus: entry.httpStatusCode,
    subrequest: {
      referenceId: entry.referenceId,
      object,
      fields: error.fields ?? [],
      duplicateMatchId: duplicateMatchOf(error),
    },
  });
}

/** `/services/data/v62.0/sobjects/Contact/003…` → `['Contact', '003…']`. */
function sObjectPathOf(url: string | undefined): string[] {
  const path = url?.split('?')[0] ?? '';
  const at = path.indexOf('/sobjects/');
  return at < 0 ? [] : path.slice(at + '/sobjects/'.length).split('/');
}

/**
 * Reads the answer to a write `/composite` (the envelope is 200 even when subrequests fail, stack-notes §2):
 * the id of every record created, upserted (from the body) or updated by id (from the URL: Salesforce answers
 * 204 without a body), or the root cause of the failure (not PROCESSING_HALTED) thrown as a SalesforceError
 * naming its subrequest.
 */
export function writtenIdsOf(response: CompositeResponse, request: CompositeRequestBody): WrittenIds {
  const subrequestOf = (referenceId: string) =>
    request.compositeRequest.find((subrequest) => subrequest.referenceId === referenceId);
  const failed = response.compositeResponse.filter((entry) => entry.httpStatusCode >= 300);
  if (failed.length > 0) {
    const root =
      failed.find((entry) => errorsOf(entry.body).some((error) => error.errorCode !== HALTED)) ?? failed[0];
    throw subrequestFailure(root, subrequestOf(root.referenceId)?.url);
  }
  const ids: WrittenIds = {};
  for (const entry of response.compositeResponse) {
    const bodyId = (entry.body as { id?: unknown } | null)?.id;
    const subrequest = subrequestOf(entry.referenceId);
    const [, updatedId, ...more] = sObjectPathOf(subrequest?.url);
    if (typeof bodyId === 'string') ids[entry.referenceId] = bodyId;
    else if (subrequest?.method === 'PATCH' && updatedId && more.length === 0) {
      ids[entry.referenceId] = updatedId;
    }
  }
  return ids;
}

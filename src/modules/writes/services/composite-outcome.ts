import type { PlannedRecordWrite } from '../../mapping';
import type { CompositeResponse } from '../../salesforce/client/salesforce-client';
import { SalesforceError } from '../../salesforce/client/salesforce-error';

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

/** The first record a duplicate rule named, if the error carries one. */
function duplicateMatchOf(error: SalesforceErrorBody): string | undefined {
  for (const result of error.duplicateResult?.matchResults ?? []) {
    const id = result.matchRecords?.find((match) => typeof match.record?.Id === 'string')?.record?.Id;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

/** A composite Salesforce refused: its root cause (not PROCESSING_HALTED), and which record it concerns. */
export class CompositeRejectedError extends SalesforceError {
  constructor(
    readonly referenceId: string,
    readonly object: string | undefined,
    readonly fields: string[],
    errorCode: string,
    message: string,
    status: number,
    /** DUPLICATES_DETECTED: the existing record the org's duplicate rule named. */
    readonly duplicateMatchId?: string,
  ) {
    super({ errorCode, message, salesforceStatus: status });
    this.name = 'CompositeRejectedError';
  }
}

/**
 * Reads a `/composite` answer (the envelope is 200 even when subrequests fail, stack-notes §2): the ids of the
 * records written, or the root cause of the failure, thrown as a classified SalesforceError.
 */
export function compositeOutcome(
  response: CompositeResponse,
  records: readonly PlannedRecordWrite[],
): Record<string, string> {
  const failed = response.compositeResponse.filter((entry) => entry.httpStatusCode >= 300);
  if (failed.length > 0) {
    const errorsOf = (body: unknown): SalesforceErrorBody[] =>
      Array.isArray(body) ? (body as SalesforceErrorBody[]) : [];
    const root =
      failed.find((entry) => errorsOf(entry.body).some((error) => error.errorCode !== HALTED)) ?? failed[0];
    const error = errorsOf(root.body).find((candidate) => candidate.errorCode !== HALTED) ??
      errorsOf(root.body)[0] ?? { errorCode: `ERROR_HTTP_${root.httpStatusCode}` };
    const object = records.find((record) => record.referenceId === root.referenceId)?.object;
    throw new CompositeRejectedError(
      root.referenceId,
      object,
      error.fields ?? [],
      error.errorCode ?? `ERROR_HTTP_${root.httpStatusCode}`,
      error.message ?? 'Salesforce refused the request',
      root.httpStatusCode,
      duplicateMatchOf(error),
    );
  }
  const byReference = new Map(response.compositeResponse.map((entry) => [entry.referenceId, entry]));
  const ids: Record<string, string> = {};
  for (const record of records) {
    if (record.how === 'update') {
      ids[record.object] = record.id;
      continue;
    }
    const id = (byReference.get(record.referenceId)?.body as { id?: unknown } | null)?.id;
    if (typeof id === 'string') ids[record.object] = id;
  }
  return ids;
}

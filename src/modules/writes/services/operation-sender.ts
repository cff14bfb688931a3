import { Injectable } from '@nestjs/common';
import { adoptDuplicateMatch, type PlannedOperation } from '../../mapping';
import { SalesforceClient } from '../../salesforce/client/salesforce-client';
import { SalesforceError } from '../../salesforce/client/salesforce-error';
import { classifySendFailure, type SendFailure } from '../../salesforce/client/send-failure';

export interface SentOperation {
  records: Record<string, string>;
  salesforceMs: number;
  /** What the write should remember having done beyond the plan (a duplicate rule's match written onto). */
  notes: string[];
}

/** A composite creates at most one record per object, so this bounds the resends one send can make. */
const MAX_DUPLICATE_ADOPTIONS = 5;

const SUBJECT_REFERENCE = '@{subject.Id}';

type CompositeOperation = Extract<PlannedOperation, { kind: 'composite' }>;

/** Sends one planned operation exactly as planned: one `/composite`, or a Chatter post (and its subject's GET). */
@Injectable()
export class OperationSender {
  constructor(private readonly client: SalesforceClient) {}

  async send(
    tenantId: string,
    operation: PlannedOperation,
    options: { deadlineMs?: number } = {},
  ): Promise<SentOperation> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    try {
      if (operation.kind === 'composite') {
        const { records, notes } = await this.sendComposite(tenantId, operation, options);
        return { records, salesforceMs: elapsed(), notes };
      }
      let subjectId = 'id' in operation.subject ? operation.subject.id : undefined;
      for (const request of operation.requests) {
        if (request.method === 'GET') {
          const record = await this.client.request<{ Id?: string }>(
            tenantId,
            { method: 'GET', path: request.url },
            options,
          );
          subjectId = record.Id;
          continue;
        }
        const body = JSON.parse(
          JSON.stringify(request.body ?? {}).replaceAll(SUBJECT_REFERENCE, subjectId ?? ''),
        ) as unknown;
        const posted = await this.client.request<{ id?: string }>(
          tenantId,
          { method: request.method, path: request.url, body, headers: request.headers },
          options,
        );
        return {
          records: posted.id ? { FeedItem: posted.id } : {},
          salesforceMs: elapsed(),
          notes: [],
        };
      }
      return { records: {}, salesforceMs: elapsed(), notes: [] };
    } catch (error) {
      throw new SendError(classifySendFailure(error), elapsed(), error);
    }
  }

  /**
   * One `/composite`. Under the `use_matched` duplicate policy, a record blocked by the org's duplicate rules is
   * written onto the record the rule names instead, and the composite sent again (allOrNone rolled the first
   * one back, so nothing is doubled).
   */
  private async sendComposite(
    tenantId: string,
    planned: CompositeOperation,
    options: { deadlineMs?: number },
  ): Promise<{ records: Record<string, string>; notes: string[] }> {
    const notes: string[] = [];
    let operation = planned;
    for (let adoptions = 0; ; adoptions++) {
      try {
        const written = await this.client.compositeWrite(tenantId, operation.request.body, options);
        return { records: idsByObject(operation, written), notes };
      } catch (error) {
        const adopted =
          adoptions < MAX_DUPLICATE_ADOPTIONS && (operation.duplicates ?? 'use_matched') === 'use_matched'
            ? adoptionFor(operation, error)
            : null;
        if (!adopted) throw error;
        notes.push(adopted.note);
        operation = adopted.operation;
      }
    }
  }
}

function adoptionFor(
  operation: CompositeOperation,
  error: unknown,
): { operation: CompositeOperation; note: string } | null {
  if (!(error instanceof SalesforceError) || error.salesforceErrorCode !== 'DUPLICATES_DETECTED') return null;
  const failed = error.subrequest;
  if (!failed?.duplicateMatchId) return null;
  const adopted = adoptDuplicateMatch(operation, failed.referenceId, failed.duplicateMatchId);
  if (!adopted) return null;
  return {
    operation: adopted,
    note: `${failed.object ?? failed.referenceId}: the org's duplicate rule matched ${failed.duplicateMatchId}; written onto it`,
  };
}

/**
 * The planned records' ids by object: from the ids Salesforce answered by referenceId, else the id the record was
 * written by. A duplicate rule's match the map targets no field of leaves the composite (only the references
 * to it remain), so no answer names it; without its id here the call would not remember it, and each later
 * intent would create it again, meet the rule again and be sent again.
 */
function idsByObject(operation: CompositeOperation, written: Record<string, string>): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const record of operation.records) {
    const id = written[record.referenceId] ?? (record.how === 'update' ? record.id : undefined);
    if (id) ids[record.object] = id;
  }
  return ids;
}

export class SendError extends Error {
  constructor(
    readonly failure: SendFailure,
    readonly salesforceMs: number,
    cause: unknown,
  ) {
    super(`${failure.errorCode}: ${failure.message}`, { cause });
    this.name = 'SendError';
  }
}

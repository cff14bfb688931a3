import { Injectable } from '@nestjs/common';
import { adoptDuplicateMatch, type PlannedOperation } from '../../mapping';
import { SalesforceClient } from '../../salesforce/client/salesforce-client';
import { SalesforceError } from '../../salesforce/client/salesforce-error';
import { DomainError } from '../../../common/errors/domain-error';
import type { FailureClass } from '../../queue/retry-policy';
import { CompositeRejectedError, compositeOutcome } from './composite-outcome';

export interface SentOperation {
  records: Record<string, string>;
  salesforceMs: number;
  /** What the write should remember having done beyond the plan (a duplicate rule's match written onto). */
  notes: string[];
}

/** A composite creates at most one record per object, so this bounds the resends one send can make. */
const MAX_DUPLICATE_ADOPTIONS = 5;

/** A failed send, as the outbox records it and the retry policy reads it. */
export interface SendFailure {
  errorClass: FailureClass;
  errorCode: string;
  message: string;
  requiresReauthorization: boolean;
  /** `Object.Field` or the object the root cause concerns, for the agent's 422. */
  target?: string;
  /** What the API answers if this failure ends an agent request. */
  status: number;
  code: string;
}

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
      throw new SendError(describeFailure(error), elapsed(), error);
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
      const response = await this.client.composite(tenantId, operation.request.body, options);
      try {
        return { records: compositeOutcome(response, operation.records), notes };
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
  if (
    !(error instanceof CompositeRejectedError) ||
    error.salesforceErrorCode !== 'DUPLICATES_DETECTED' ||
    !error.duplicateMatchId
  ) {
    return null;
  }
  const adopted = adoptDuplicateMatch(operation, error.referenceId, error.duplicateMatchId);
  if (!adopted) return null;
  return {
    operation: adopted,
    note: `${error.object ?? error.referenceId}: the org's duplicate rule matched ${error.duplicateMatchId}; written onto it`,
  };
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

/** The one reading of a send's failure: Salesforce's own class and code, or ours for a refusal before sending. */
export function describeFailure(error: unknown): SendFailure {
  if (error instanceof SalesforceError) {
    const target =
      error instanceof CompositeRejectedError
        ? error.fields.length > 0 && error.object
          ? error.fields.map((field) => `${error.object}.${field}`).join(', ')
          : error.object
        : undefined;
    return {
      errorClass: error.errorClass,
      errorCode: error.salesforceErrorCode,
      message: error.problems?.[0]?.message ?? error.message,
      requiresReauthorization: error.requiresReauthorization,
      ...(target && { target }),
      status: error.status,
      code: error.code,
    };
  }
  if (error instanceof DomainError) {
    // Refusals of our own before anything was sent (not connected, scope): no retry can change them.
    return {
      errorClass: 'permanent',
      errorCode: error.code,
      message: error.message,
      requiresReauthorization: false,
      status: error.status,
      code: error.code,
    };
  }
  return {
    errorClass: 'transient',
    errorCode: 'UNEXPECTED_ERROR',
    message: error instanceof Error ? error.message : String(error),
    requiresReauthorization: false,
    status: 503,
    code: 'SALESFORCE_UNAVAILABLE',
  };
}

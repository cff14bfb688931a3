import { DomainError } from '../../../common/errors/domain-error';
import type { ErrorCode } from '../../../common/errors/error-code';
import { SalesforceErrorCode } from '../salesforce-error-code';
import { type FailureClass, SalesforceError } from './salesforce-error';

/**
 * A failed send to Salesforce, as the outbox records it and the retry policy reads it: a class and codes, no
 * HTTP status (the route that answers maps `code` to one).
 */
export interface SendFailure {
  errorClass: FailureClass;
  /** Salesforce's own code, or ours for a refusal before sending (NOT_CONNECTED, SCOPE_INSUFFICIENT). */
  errorCode: string;
  message: string;
  requiresReauthorization: boolean;
  /** `Object.Field` or the object the root cause concerns, for the agent's 422. */
  target?: string;
  /** What this API answers if the failure ends an agent request. */
  code: ErrorCode;
}

/**
 * The one reading of a send's failure: a SalesforceError as classified by the client; our own refusal before
 * anything was sent (not connected, scope), which no retry can change; anything else, a transient surprise.
 */
export function classifySendFailure(error: unknown): SendFailure {
  if (error instanceof SalesforceError) {
    return {
      errorClass: error.errorClass,
      errorCode: error.salesforceErrorCode,
      message: error.salesforceMessage,
      requiresReauthorization: error.requiresReauthorization,
      ...(error.target && { target: error.target }),
      code: error.code,
    };
  }
  if (error instanceof DomainError) {
    return {
      errorClass: 'permanent',
      errorCode: error.code,
      message: error.message,
      requiresReauthorization: false,
      code: error.code,
    };
  }
  return {
    errorClass: 'transient',
    errorCode: 'UNEXPECTED_ERROR',
    message: error instanceof Error ? error.message : String(error),
    requiresReauthorization: false,
    code: SalesforceErrorCode.Unavailable,
  };
}

import { DomainError } from '../../../common/errors/domain-error';
import { SalesforceErrorCode } from '../salesforce-error-code';

/**
 * What a caller should do about a failure, the one class type of the code base: classified here, turned into
 * an action by the retry policy (queue/retry-policy.ts).
 */
export type FailureClass = 'transient' | 'auth' | 'rate-limited' | 'permanent';

/** salesforce-rest.md §1.4 and §6.3: the codes whose class is not what their HTTP status says. */
const CLASS_BY_ERROR_CODE: Readonly<Record<string, FailureClass>> = {
  INVALID_SESSION_ID: 'auth',
  INVALID_AUTH_HEADER: 'auth',
  REQUEST_LIMIT_EXCEEDED: 'rate-limited',
  SERVER_UNAVAILABLE: 'transient',
  UNKNOWN_EXCEPTION: 'transient',
  UNABLE_TO_LOCK_ROW: 'transient',
  QUERY_TIMEOUT: 'transient',
  REQUEST_RUNNING_TOO_LONG: 'transient',
  DEADLINE_EXCEEDED: 'transient',
  NETWORK_ERROR: 'transient',
  invalid_grant: 'auth',
  invalid_client: 'auth',
  invalid_client_id: 'auth',
  invalid_app_access: 'auth',
  inactive_user: 'auth',
  inactive_org: 'auth',
  rate_limit_exceeded: 'rate-limited',
};

/** Token-endpoint errors and REST 401s that no refresh can fix: an admin must connect again. */
const REAUTHORIZATION_CODES = new Set([
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
  'invalid_app_access',
  'inactive_user',
  'inactive_org',
]);
const NOT_FOR_REST_API = 'not valid for use with the REST API';

function classByStatus(status: number | undefined): FailureClass {
  if (status === undefined) return 'transient';
  if (status === 401) return 'auth';
  if (status === 429) return 'rate-limited';
  if (status === 408 || status === 420 || status >= 500) return 'transient';
  return 'permanent';
}

export function classifySalesforceError(errorCode: string, salesforceStatus?: number): FailureClass {
  return CLASS_BY_ERROR_CODE[errorCode] ?? classByStatus(salesforceStatus);
}

export function requiresReauthorization(errorCode: string, message: string): boolean {
  return (
    REAUTHORIZATION_CODES.has(errorCode) ||
    (errorCode === 'INVALID_SESSION_ID' && message.includes(NOT_FOR_REST_API))
  );
}

/** The code this API answers with when a Salesforce failure of a class reaches a route. */
const CODE_BY_CLASS: Readonly<Record<FailureClass, SalesforceErrorCode>> = {
  transient: SalesforceErrorCode.Unavailable,
  'rate-limited': SalesforceErrorCode.RateLimited,
  auth: SalesforceErrorCode.AuthFailed,
  permanent: SalesforceErrorCode.Rejected,
};

/** The subrequest of a `/composite` that caused its failure (the others were rolled back). */
export interface FailedSubrequest {
  referenceId: string;
  /** The sObject the subrequest wrote, read from its URL. */
  object?: string;
  /** The fields Salesforce named, if any. */
  fields: string[];
  /** DUPLICATES_DETECTED: the existing record the org's duplicate rule matched (salesforce-rest.md §6.1). */
  duplicateMatchId?: string;
}

export interface SalesforceFailure {
  /** Salesforce's `errorCode` (REST) or `error` (OAuth), or DEADLINE_EXCEEDED / NETWORK_ERROR / ERROR_HTTP_<n>. */
  errorCode: string;
  message: string;
  /** Salesforce's HTTP status; read only here (classification) and by the client (an expired session). */
  salesforceStatus?: number;
  /** Overrides the class's API code, e.g. SALESFORCE_REAUTHORIZATION_REQUIRED. */
  code?: SalesforceErrorCode;
  subrequest?: FailedSubrequest;
}

/** A classified Salesforce failure, keeping Salesforce's own code and message. */
export class SalesforceError extends DomainError {
  readonly errorClass: FailureClass;
  readonly salesforceErrorCode: string;
  readonly salesforceMessage: string;
  readonly salesforceStatus?: number;
  readonly subrequest?: FailedSubrequest;

  constructor(failure: SalesforceFailure) {
    const errorClass = classifySalesforceError(failure.errorCode, failure.salesforceStatus);
    super(failure.code ?? CODE_BY_CLASS[errorClass], `${failure.errorCode}: ${failure.message}`, [
      { code: failure.errorCode, message: failure.message },
    ]);
    this.name = 'SalesforceError';
    this.errorClass = errorClass;
    this.salesforceErrorCode = failure.errorCode;
    this.salesforceMessage = failure.message;
    this.salesforceStatus = failure.salesforceStatus;
    this.subrequest = failure.subrequest;
  }

  get requiresReauthorization(): boolean {
    return requiresReauthorization(this.salesforceErrorCode, this.salesforceMessage);
  }

  /** `Object.Field` (several joined by ", "), or the object, the failure concerns. */
  get target(): string | undefined {
    const { object, fields = [] } = this.subrequest ?? {};
    if (object && fields.length > 0) return fields.map((field) => `${object}.${field}`).join(', ');
    return object;
  }
}

const NETWORK_ERROR_CODES = /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/;

/**
 * Turns whatever a Salesforce call threw (a jsforce API or OAuth error, an undici network error, a deadline
 * abort) into a SalesforceError. This and the table above are the only places that read Salesforce errors.
 */
export function toSalesforceError(error: unknown, salesforceStatus?: number): SalesforceError {
  if (error instanceof SalesforceError) return error;
  const fields = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const name = typeof fields.name === 'string' ? fields.name : '';
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SalesforceError({
      errorCode: 'DEADLINE_EXCEEDED',
      message: 'Salesforce did not answer in time',
    });
  }
  const networkCode = [fields.code, (fields.cause as Record<string, unknown> | undefined)?.code].find(
    (code): code is string => typeof code === 'string' && NETWORK_ERROR_CODES.test(code),
  );
  if (networkCode) {
    return new SalesforceError({ errorCode: 'NETWORK_ERROR', message: `${networkCode}: ${message}` });
  }
  const errorCode =
    typeof fields.errorCode === 'string'
      ? fields.errorCode
      : name && name !== 'Error'
        ? name
        : 'UNKNOWN_ERROR';
  return new SalesforceError({ errorCode, message, salesforceStatus });
}

import { DomainError } from '../../../common/errors/domain-error';

/** What a caller should do about a failure (architecture.md: one table maps each class to an action). */
export type SalesforceErrorClass = 'transient' | 'auth' | 'rate-limited' | 'permanent';

/** salesforce-rest.md §1.4 and §6.3: the codes whose class is not what their HTTP status says. */
const CLASS_BY_ERROR_CODE: Readonly<Record<string, SalesforceErrorClass>> = {
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

function classByStatus(status: number | undefined): SalesforceErrorClass {
  if (status === undefined) return 'transient';
  if (status === 401) return 'auth';
  if (status === 429) return 'rate-limited';
  if (status === 408 || status === 420 || status >= 500) return 'transient';
  return 'permanent';
}

export function classifySalesforceError(errorCode: string, salesforceStatus?: number): SalesforceErrorClass {
  return CLASS_BY_ERROR_CODE[errorCode] ?? classByStatus(salesforceStatus);
}

export function requiresReauthorization(errorCode: string, message: string): boolean {
  return (
    REAUTHORIZATION_CODES.has(errorCode) ||
    (errorCode === 'INVALID_SESSION_ID' && message.includes(NOT_FOR_REST_API))
  );
}

/** The HTTP answer of this API when a Salesforce failure reaches a route. */
const ANSWER_BY_CLASS: Readonly<Record<SalesforceErrorClass, { status: number; code: string }>> = {
  transient: { status: 503, code: 'SALESFORCE_UNAVAILABLE' },
  'rate-limited': { status: 429, code: 'SALESFORCE_RATE_LIMITED' },
  auth: { status: 502, code: 'SALESFORCE_AUTH_FAILED' },
  permanent: { status: 422, code: 'SALESFORCE_REJECTED' },
};

export interface SalesforceFailure {
  /** Salesforce's `errorCode` (REST) or `error` (OAuth), or DEADLINE_EXCEEDED / NETWORK_ERROR / ERROR_HTTP_<n>. */
  errorCode: string;
  message: string;
  salesforceStatus?: number;
  /** Overrides the class's API code, e.g. SALESFORCE_REAUTHORIZATION_REQUIRED. */
  code?: string;
  status?: number;
}

/** A classified Salesforce failure, keeping Salesforce's own code and message. */
export class SalesforceError extends DomainError {
  readonly errorClass: SalesforceErrorClass;
  readonly salesforceErrorCode: string;
  readonly salesforceStatus?: number;

  constructor(failure: SalesforceFailure) {
    const errorClass = classifySalesforceError(failure.errorCode, failure.salesforceStatus);
    const answer = ANSWER_BY_CLASS[errorClass];
    super(
      failure.status ?? answer.status,
      failure.code ?? answer.code,
      `${failure.errorCode}: ${failure.message}`,
      [{ code: failure.errorCode, message: failure.message }],
    );
    this.name = 'SalesforceError';
    this.errorClass = errorClass;
    this.salesforceErrorCode = failure.errorCode;
    this.salesforceStatus = failure.salesforceStatus;
  }

  get requiresReauthorization(): boolean {
    return requiresReauthorization(this.salesforceErrorCode, this.problems?.[0]?.message ?? '');
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

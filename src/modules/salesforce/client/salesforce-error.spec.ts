import {
  classifySalesforceError,
  requiresReauthorization,
  SalesforceError,
  toSalesforceError,
} from './salesforce-error';

describe('classifySalesforceError', () => {
  it.each([
    ['INVALID_SESSION_ID', 401, 'auth'],
    ['INVALID_AUTH_HEADER', 401, 'auth'],
    ['REQUEST_LIMIT_EXCEEDED', 403, 'rate-limited'],
    ['SERVER_UNAVAILABLE', 503, 'transient'],
    ['UNKNOWN_EXCEPTION', 500, 'transient'],
    ['UNABLE_TO_LOCK_ROW', 400, 'transient'],
    ['QUERY_TIMEOUT', 400, 'transient'],
    ['INVALID_FIELD', 400, 'permanent'],
    ['REQUIRED_FIELD_MISSING', 400, 'permanent'],
    ['MALFORMED_QUERY', 400, 'permanent'],
    ['NOT_FOUND', 404, 'permanent'],
    ['DUPLICATE_VALUE', 400, 'permanent'],
    ['INSUFFICIENT_ACCESS', 403, 'permanent'],
    ['ERROR_HTTP_502', 502, 'transient'],
    ['ERROR_HTTP_429', 429, 'rate-limited'],
    ['ERROR_HTTP_420', 420, 'transient'],
    ['invalid_grant', 400, 'auth'],
    ['invalid_client', 400, 'auth'],
    ['rate_limit_exceeded', 400, 'rate-limited'],
    ['unsupported_grant_type', 400, 'permanent'],
    ['DEADLINE_EXCEEDED', undefined, 'transient'],
    ['NETWORK_ERROR', undefined, 'transient'],
  ])('%s (HTTP %s) is %s', (code, status, expected) => {
    expect(classifySalesforceError(code, status)).toBe(expected);
  });

  it('knows which failures need an admin to connect again', () => {
    expect(requiresReauthorization('invalid_grant', 'expired access/refresh token')).toBe(true);
    expect(
      requiresReauthorization('INVALID_SESSION_ID', 'This session is not valid for use with the REST API'),
    ).toBe(true);
    expect(requiresReauthorization('INVALID_SESSION_ID', 'Session expired or invalid')).toBe(false);
    expect(requiresReauthorization('SERVER_UNAVAILABLE', 'down')).toBe(false);
  });
});

describe('toSalesforceError', () => {
  it('keeps the Salesforce error code and message of a jsforce error', () => {
    const error = toSalesforceError(
      Object.assign(new Error("No such column 'Foo' on sobject of type Account"), {
        name: 'INVALID_FIELD',
        errorCode: 'INVALID_FIELD',
      }),
      400,
    );
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({
      errorClass: 'permanent',
      salesforceErrorCode: 'INVALID_FIELD',
      salesforceStatus: 400,
      code: 'SALESFORCE_REJECTED',
    });
    expect(error.message).toContain("No such column 'Foo'");
  });

  it('reads OAuth errors (jsforce names them after `error`)', () => {
    const oauth = Object.assign(new Error('expired access/refresh token'), { name: 'invalid_grant' });
    expect(toSalesforceError(oauth, 400)).toMatchObject({
      errorClass: 'auth',
      salesforceErrorCode: 'invalid_grant',
    });
    expect(toSalesforceError(oauth, 400).requiresReauthorization).toBe(true);
  });

  it('treats deadlines and network failures as transient', () => {
    expect(toSalesforceError(new DOMException('timed out', 'TimeoutError'))).toMatchObject({
      errorClass: 'transient',
      salesforceErrorCode: 'DEADLINE_EXCEEDED',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toSalesforceError(refused)).toMatchObject({
      errorClass: 'transient',
      salesforceErrorCode: 'NETWORK_ERROR',
    });
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } });
    expect(toSalesforceError(wrapped).errorClass).toBe('transient');
  });
});

import { DomainError } from '../../../common/errors/domain-error';
import { SalesforceErrorCode } from '../salesforce-error-code';
import { ScopeInsufficientError } from '../scope-profiles';
import { writtenIdsOf } from './composite-outcome';
import { toSalesforceError } from './salesforce-error';
import { classifySendFailure } from './send-failure';

/** What jsforce throws for a REST error answer: the body's errorCode and message, named after the code. */
const restError = (errorCode: string, message: string) =>
  Object.assign(new Error(message), { name: errorCode, errorCode });

/** A send that failed with `error` as the client raises it (HTTP status read once, in the client). */
const sendFailingWith = (error: unknown, salesforceStatus?: number) =>
  classifySendFailure(toSalesforceError(error, salesforceStatus));

function compositeFailure(body: unknown, httpStatusCode = 400) {
  try {
    writtenIdsOf(
      { compositeResponse: [{ referenceId: 'refLead', httpStatusCode, httpHeaders: {}, body }] },
      {
        allOrNone: true,
        compositeRequest: [
          { method: 'PATCH', url: '/services/data/v62.0/sobjects/Lead/K__c/k', referenceId: 'refLead' },
        ],
      },
    );
  } catch (error) {
    return classifySendFailure(error);
  }
  throw new Error('expected a failure');
}

describe('classifySendFailure', () => {
  it('reads a composite whose subrequest failed: permanent, with its code and Object.Field target', () => {
    expect(
      compositeFailure([
        { errorCode: 'STRING_TOO_LONG', message: 'Company: data value too large', fields: ['Company'] },
      ]),
    ).toEqual({
      errorClass: 'permanent',
      errorCode: 'STRING_TOO_LONG',
      message: 'Company: data value too large',
      requiresReauthorization: false,
      target: 'Lead.Company',
      code: SalesforceErrorCode.Rejected,
    });
  });

  it('reads DUPLICATES_DETECTED as permanent, naming the object', () => {
    const duplicate = {
      errorCode: 'DUPLICATES_DETECTED',
      message: 'Use one of these records?',
      fields: [],
      duplicateResult: { matchResults: [{ matchRecords: [{ record: { Id: '00QM' } }] }] },
    };
    expect(compositeFailure([duplicate])).toMatchObject({
      errorClass: 'permanent',
      errorCode: 'DUPLICATES_DETECTED',
      target: 'Lead',
      code: SalesforceErrorCode.Rejected,
    });
  });

  it('reads an expired session as auth, which a refresh can fix', () => {
    expect(sendFailingWith(restError('INVALID_SESSION_ID', 'Session expired or invalid'), 401)).toMatchObject(
      {
        errorClass: 'auth',
        errorCode: 'INVALID_SESSION_ID',
        requiresReauthorization: false,
        code: SalesforceErrorCode.AuthFailed,
      },
    );
  });

  it('reads a session not valid for the REST API as needing an admin to connect again', () => {
    const failure = sendFailingWith(
      restError('INVALID_SESSION_ID', 'This session is not valid for use with the REST API'),
      401,
    );
    expect(failure).toMatchObject({ errorClass: 'auth', requiresReauthorization: true });
  });

  it("reads the org's daily limit as rate-limited, whatever its HTTP status", () => {
    expect(
      sendFailingWith(restError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 403),
    ).toMatchObject({
      errorClass: 'rate-limited',
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      code: SalesforceErrorCode.RateLimited,
    });
  });

  it('reads a 5xx as transient, in a composite subrequest as in a whole answer', () => {
    expect(sendFailingWith(restError('ERROR_HTTP_503', 'Service Unavailable'), 503)).toMatchObject({
      errorClass: 'transient',
      code: SalesforceErrorCode.Unavailable,
    });
    expect(compositeFailure(null, 500)).toMatchObject({
      errorClass: 'transient',
      errorCode: 'ERROR_HTTP_500',
    });
  });

  it('reads a network error and a missed deadline as transient', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(sendFailingWith(reset)).toMatchObject({ errorClass: 'transient', errorCode: 'NETWORK_ERROR' });
    expect(sendFailingWith(new DOMException('The operation timed out', 'TimeoutError'))).toMatchObject({
      errorClass: 'transient',
      errorCode: 'DEADLINE_EXCEEDED',
      code: SalesforceErrorCode.Unavailable,
    });
  });

  it('reads our own refusal before sending as permanent, keeping its code', () => {
    expect(
      classifySendFailure(new ScopeInsufficientError('chatter-post', 'privileged', 'standard')),
    ).toMatchObject({
      errorClass: 'permanent',
      errorCode: 'SCOPE_INSUFFICIENT',
      requiresReauthorization: false,
      code: SalesforceErrorCode.ScopeInsufficient,
    });
    const refusal = new DomainError(SalesforceErrorCode.ConnectionMissing, 'no connection');
    expect(classifySendFailure(refusal)).toMatchObject({
      errorClass: 'permanent',
      errorCode: 'NOT_CONNECTED',
    });
  });

  it('reads anything else as a transient surprise', () => {
    expect(classifySendFailure(new TypeError('boom'))).toEqual({
      errorClass: 'transient',
      errorCode: 'UNEXPECTED_ERROR',
      message: 'boom',
      requiresReauthorization: false,
      code: SalesforceErrorCode.Unavailable,
    });
  });

  it('carries no HTTP status into the worker', () => {
    const failure = sendFailingWith(restError('INVALID_FIELD', 'No such column'), 400);
    expect(Object.keys(failure)).not.toEqual(expect.arrayContaining(['status']));
    expect(JSON.stringify(failure)).not.toContain('400');
  });
});

import { writtenIdsOf } from './composite-outcome';
import type { CompositeRequestBody, CompositeResponse } from './salesforce-client';
import { SalesforceError } from './salesforce-error';

const BASE = '/services/data/v62.0';

const request: CompositeRequestBody = {
  allOrNone: true,
  compositeRequest: [
    { method: 'PATCH', url: `${BASE}/sobjects/Account/X__c/t%3Ac`, referenceId: 'refAccount', body: {} },
    {
      method: 'PATCH',
      url: `${BASE}/sobjects/Contact/003000000000001AAA`,
      referenceId: 'refContact',
      body: {},
    },
    {
      method: 'PATCH',
      url: `${BASE}/sobjects/Opportunity/X__c/t%3Ac`,
      referenceId: 'refOpportunity',
      body: {},
    },
  ],
};

type Entry = CompositeResponse['compositeResponse'][number];
const answer = (...entries: Array<Omit<Entry, 'httpHeaders'>>): CompositeResponse => ({
  compositeResponse: entries.map((entry) => ({ ...entry, httpHeaders: {} })),
});

const HALTED = [{ errorCode: 'PROCESSING_HALTED', message: 'rolled back' }];

function rejectionOf(response: CompositeResponse): SalesforceError {
  try {
    writtenIdsOf(response, request);
  } catch (error) {
    if (error instanceof SalesforceError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('writtenIdsOf', () => {
  it('returns the id of each upserted (body) and updated (URL, 204 without a body) record by referenceId', () => {
    const ids = writtenIdsOf(
      answer(
        { referenceId: 'refAccount', httpStatusCode: 201, body: { id: '001A', created: true } },
        { referenceId: 'refContact', httpStatusCode: 204, body: null },
        { referenceId: 'refOpportunity', httpStatusCode: 200, body: { id: '006B', created: false } },
      ),
      request,
    );
    expect(ids).toEqual({ refAccount: '001A', refContact: '003000000000001AAA', refOpportunity: '006B' });
  });

  it('does not take an upsert key from the URL for an id when the body has none', () => {
    const ids = writtenIdsOf(answer({ referenceId: 'refAccount', httpStatusCode: 204, body: null }), request);
    expect(ids).toEqual({});
  });

  it('throws the root cause, not PROCESSING_HALTED, naming the subrequest, its object and target', () => {
    const error = rejectionOf(
      answer(
        { referenceId: 'refAccount', httpStatusCode: 400, body: HALTED },
        { referenceId: 'refContact', httpStatusCode: 400, body: HALTED },
        {
          referenceId: 'refOpportunity',
          httpStatusCode: 400,
          body: [
            {
              errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
              message: 'Amount must not be negative.',
              fields: ['Amount'],
            },
          ],
        },
      ),
    );
    expect(error).toMatchObject({
      errorClass: 'permanent',
      code: 'SALESFORCE_REJECTED',
      salesforceErrorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      salesforceMessage: 'Amount must not be negative.',
      subrequest: { referenceId: 'refOpportunity', object: 'Opportunity', fields: ['Amount'] },
      target: 'Opportunity.Amount',
    });
  });

  it('classifies a failed subrequest by its code (a locked row is transient)', () => {
    const error = rejectionOf(
      answer({
        referenceId: 'refAccount',
        httpStatusCode: 400,
        body: [{ errorCode: 'UNABLE_TO_LOCK_ROW', message: 'locked' }],
      }),
    );
    expect(error).toMatchObject({ errorClass: 'transient', target: 'Account' });
  });

  it('classifies a subrequest that failed without an error body by its status', () => {
    const error = rejectionOf(answer({ referenceId: 'refContact', httpStatusCode: 503, body: null }));
    expect(error).toMatchObject({ errorClass: 'transient', salesforceErrorCode: 'ERROR_HTTP_503' });
  });

  it("names the record a duplicate rule matched (DUPLICATES_DETECTED's duplicateResult)", () => {
    const duplicate = {
      message: 'Use one of these records?',
      errorCode: 'DUPLICATES_DETECTED',
      fields: [],
      duplicateResult: {
        matchResults: [
          {
            entityType: 'Account',
            matchRecords: [{ record: { attributes: { type: 'Account' }, Id: '001M' } }],
          },
        ],
      },
    };
    const error = rejectionOf(
      answer(
        { referenceId: 'refAccount', httpStatusCode: 400, body: [duplicate] },
        { referenceId: 'refOpportunity', httpStatusCode: 400, body: HALTED },
      ),
    );
    expect(error).toMatchObject({
      errorClass: 'permanent',
      salesforceErrorCode: 'DUPLICATES_DETECTED',
      subrequest: { referenceId: 'refAccount', object: 'Account', duplicateMatchId: '001M' },
    });
  });
});

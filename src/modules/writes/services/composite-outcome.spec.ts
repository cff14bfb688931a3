import type { PlannedRecordWrite } from '../../mapping';
import { CompositeRejectedError, compositeOutcome } from './composite-outcome';

const records: PlannedRecordWrite[] = [
  { object: 'Account', referenceId: 'refAccount', how: 'upsert', externalIdField: 'X__c', externalId: 't:c' },
  { object: 'Contact', referenceId: 'refContact', how: 'update', id: '003000000000001AAA' },
  {
    object: 'Opportunity',
    referenceId: 'refOpportunity',
    how: 'upsert',
    externalIdField: 'X__c',
    externalId: 't:c',
  },
];

describe('compositeOutcome', () => {
  it('returns the ids of created, upserted and updated records', () => {
    const ids = compositeOutcome(
      {
        compositeResponse: [
          {
            referenceId: 'refAccount',
            httpStatusCode: 201,
            httpHeaders: {},
            body: { id: '001A', created: true },
          },
          { referenceId: 'refContact', httpStatusCode: 204, httpHeaders: {}, body: null },
          { referenceId: 'refOpportunity', httpStatusCode: 200, httpHeaders: {}, body: { id: '006B' } },
        ],
      },
      records,
    );
    expect(ids).toEqual({ Account: '001A', Contact: '003000000000001AAA', Opportunity: '006B' });
  });

  it('throws the root cause, not PROCESSING_HALTED, classified permanent', () => {
    const halted = [{ errorCode: 'PROCESSING_HALTED', message: 'rolled back' }];
    try {
      compositeOutcome(
        {
          compositeResponse: [
            { referenceId: 'refAccount', httpStatusCode: 400, httpHeaders: {}, body: halted },
            { referenceId: 'refContact', httpStatusCode: 400, httpHeaders: {}, body: halted },
            {
              referenceId: 'refOpportunity',
              httpStatusCode: 400,
              httpHeaders: {},
              body: [
                {
                  errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
                  message: 'Amount must not be negative.',
                  fields: ['Amount'],
                },
              ],
            },
          ],
        },
        records,
      );
      throw new Error('expected a rejection');
    } catch (error) {
      expect(error).toBeInstanceOf(CompositeRejectedError);
      expect(error).toMatchObject({
        referenceId: 'refOpportunity',
        object: 'Opportunity',
        fields: ['Amount'],
        errorClass: 'permanent',
        salesforceErrorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      });
    }
  });

  it('classifies a failed subrequest by its code (a locked row is transient)', () => {
    expect(() =>
      compositeOutcome(
        {
          compositeResponse: [
            {
              referenceId: 'refAccount',
              httpStatusCode: 400,
              httpHeaders: {},
              body: [{ errorCode: 'UNABLE_TO_LOCK_ROW', message: 'locked' }],
            },
          ],
        },
        records,
      ),
    ).toThrow(expect.objectContaining({ errorClass: 'transient' }));
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
    try {
      compositeOutcome(
        {
          compositeResponse: [
            { referenceId: 'refAccount', httpStatusCode: 400, httpHeaders: {}, body: [duplicate] },
            {
              referenceId: 'refOpportunity',
              httpStatusCode: 400,
              httpHeaders: {},
              body: [{ errorCode: 'PROCESSING_HALTED', message: 'rolled back' }],
            },
          ],
        },
        records,
      );
      throw new Error('no rejection');
    } catch (error) {
      expect(error).toBeInstanceOf(CompositeRejectedError);
      expect(error).toMatchObject({
        referenceId: 'refAccount',
        object: 'Account',
        salesforceErrorCode: 'DUPLICATES_DETECTED',
        duplicateMatchId: '001M',
        errorClass: 'permanent',
      });
    }
  });
});

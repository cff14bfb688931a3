import {
  executeParameterizedSearch,
  executeSosl,
  parameterizedSearchFromQueryString,
  SalesforceQueryError,
} from './index';
import { ACME_ID, buildTestSchema } from './testing-schema';

const schema = buildTestSchema();

describe('parameterized search', () => {
  const postBody = {
    q: '4155551212',
    in: 'PHONE',
    fields: ['Id', 'Name'],
    sobjects: [
      { name: 'Contact', fields: ['Id', 'Name', 'Account.Name'], limit: 1 },
      { name: 'Lead', where: 'IsConverted = false' },
      { name: 'Account' },
    ],
    overallLimit: 20,
  };

  it('answers the POST form like the equivalent SOSL', () => {
    const result = executeParameterizedSearch(postBody, schema);
    expect(result).toEqual(
      executeSosl(
        'FIND {4155551212} IN PHONE FIELDS RETURNING Contact(Id, Name, Account.Name LIMIT 1), ' +
          'Lead(Id, Name WHERE IsConverted = false), Account(Id, Name) LIMIT 20',
        schema,
      ),
    );
    expect(result.searchRecords.map((record) => record.Name)).toEqual([
      'Jane Smith-Jones',
      'Lena Lead',
      'Acme Corp',
    ]);
  });

  it('reads the GET form (repeated sobject, <Obj>.fields/.limit/.where) into the same request', () => {
    const request = parameterizedSearchFromQueryString({
      q: '4155551212',
      in: 'PHONE',
      fields: 'Id,Name',
      sobject: ['Contact', 'Lead', 'Account'],
      'Contact.fields': 'Id, Name, Account.Name',
      'Contact.limit': '1',
      'Lead.where': 'IsConverted = false',
      overallLimit: '20',
    });
    expect(request).toEqual({
      q: '4155551212',
      in: 'PHONE',
      fields: ['Id', 'Name'],
      sobjects: [
        { name: 'Contact', fields: ['Id', 'Name', 'Account.Name'], limit: 1, where: undefined },
        { name: 'Lead', fields: undefined, limit: undefined, where: 'IsConverted = false' },
        { name: 'Account', fields: undefined, limit: undefined, where: undefined },
      ],
      overallLimit: 20,
      defaultLimit: undefined,
    });
    expect(executeParameterizedSearch(request, schema)).toEqual(executeParameterizedSearch(postBody, schema));
  });

  it('does not treat SOSL reserved characters in q as syntax', () => {
    const result = executeParameterizedSearch(
      { q: '+1 (415) 555-1212', in: 'PHONE', sobjects: [{ name: 'Account' }] },
      schema,
    );
    expect(result.searchRecords).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ACME_ID}` },
        Id: ACME_ID,
      },
    ]);
  });

  it('searches the standard objects with the shared fields and defaultLimit when no sobjects are given', () => {
    const result = executeParameterizedSearch({ q: 'acme', fields: ['Id', 'Name'], defaultLimit: 1 }, schema);
    expect(result.searchRecords.map((record) => [record.attributes, record.Name])).toEqual([
      [expect.objectContaining({ type: 'Account' }), 'Acme Corp'],
      [expect.objectContaining({ type: 'Contact' }), 'Jane Smith-Jones'],
      [expect.objectContaining({ type: 'Lead' }), 'Lena Lead'],
      [expect.objectContaining({ type: 'Opportunity' }), 'Acme renewal'],
    ]);
  });

  it('rejects a missing q, a bad in, bad clauses and unknown names with Salesforce error codes', () => {
    const errorOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (error instanceof SalesforceQueryError)
          return { errorCode: error.errorCode, message: error.message };
      }
      return undefined;
    };
    expect(errorOf(() => executeParameterizedSearch({ q: ' ' }, schema))).toEqual({
      errorCode: 'MALFORMED_SEARCH',
      message: "Missing required parameter 'q'",
    });
    expect(
      errorOf(() => executeParameterizedSearch(parameterizedSearchFromQueryString({}), schema)),
    ).toMatchObject({
      errorCode: 'MALFORMED_SEARCH',
    });
    expect(errorOf(() => executeParameterizedSearch({ q: 'acme', in: 'EVERYWHERE' }, schema))).toMatchObject({
      errorCode: 'MALFORMED_SEARCH',
    });
    expect(
      errorOf(() =>
        executeParameterizedSearch(
          { q: 'acme', sobjects: [{ name: 'Lead', where: 'IsConverted =' }] },
          schema,
        ),
      ),
    ).toEqual({ errorCode: 'MALFORMED_SEARCH', message: 'unexpected token: <EOF>' });
    expect(
      errorOf(() => executeParameterizedSearch({ q: 'acme', sobjects: [{ name: 'Nope__c' }] }, schema)),
    ).toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringMatching(/^sObject type 'Nope__c' is not supported\./),
    });
    expect(
      errorOf(() =>
        executeParameterizedSearch({ q: 'acme', sobjects: [{ name: 'Account', fields: ['Nope'] }] }, schema),
      ),
    ).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringMatching(/^No such column 'Nope'/) });
    expect(
      errorOf(() => parameterizedSearchFromQueryString({ q: 'acme', overallLimit: 'ten' })),
    ).toMatchObject({
      errorCode: 'MALFORMED_SEARCH',
    });
  });
});

import { executeSosl, SalesforceQueryError } from './index';
import { ACME_ID, buildTestSchema, GLOBEX_ID, OPPORTUNITY_ID } from './testing-schema';

const schema = buildTestSchema();
const search = (sosl: string) => executeSosl(sosl, schema).searchRecords;
const idsOf = (sosl: string) => search(sosl).map((record) => record.Id);

function errorOf(run: () => unknown): SalesforceQueryError {
  try {
    run();
  } catch (error) {
    if (error instanceof SalesforceQueryError) return error;
    throw error;
  }
  throw new Error('expected a SalesforceQueryError');
}

describe('executeSosl: phone search', () => {
  it('matches phone fields on digits whatever the stored format', () => {
    const records = search(
      'FIND {4155551212} IN PHONE FIELDS RETURNING Contact(Id, Name, Phone, MobilePhone), Lead(Id, Name, Phone), ' +
        'Account(Id, Name, Phone)',
    );
    expect(records.map((record) => [record.attributes, record.Name])).toEqual([
      [
        { type: 'Contact', url: '/services/data/v62.0/sobjects/Contact/003000000000001AAA' },
        'Jane Smith-Jones',
      ],
      [{ type: 'Contact', url: '/services/data/v62.0/sobjects/Contact/003000000000002AAA' }, 'John Doe'],
      [{ type: 'Lead', url: '/services/data/v62.0/sobjects/Lead/00Q000000000001AAA' }, 'Lena Lead'],
      [{ type: 'Lead', url: '/services/data/v62.0/sobjects/Lead/00Q000000000002AAA' }, 'Carl Converted'],
      [{ type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ACME_ID}` }, 'Acme Corp'],
    ]);
    expect(records[0]).toEqual({
      attributes: expect.any(Object),
      Id: '003000000000001AAA',
      Name: 'Jane Smith-Jones',
      Phone: '415.555.1212',
      MobilePhone: null,
    });
  });

  it('matches an E.164 term against national formats and needs 7+ digits for a partial match', () => {
    expect(idsOf('FIND {\\+14155551212} IN PHONE FIELDS RETURNING Account')).toEqual([ACME_ID]);
    expect(idsOf('FIND {5551212} IN PHONE FIELDS RETURNING Account')).toEqual([ACME_ID]);
    expect(idsOf('FIND {551212} IN PHONE FIELDS RETURNING Account')).toEqual([]);
    expect(idsOf('FIND {6505559999} IN PHONE FIELDS RETURNING Account')).toEqual([]);
  });

  it('compares phones on digits in ALL FIELDS when the term is a number', () => {
    expect(idsOf('FIND {(212) 555-0000} RETURNING Account')).toEqual([GLOBEX_ID]);
  });
});

describe('executeSosl: terms, groups and clauses', () => {
  it('matches whole words case-insensitively, all words required, with trailing wildcards', () => {
    expect(idsOf('FIND {acme} IN NAME FIELDS RETURNING Account, Opportunity')).toEqual([
      ACME_ID,
      OPPORTUNITY_ID,
    ]);
    expect(idsOf('FIND {acme corp} IN NAME FIELDS RETURNING Account')).toEqual([ACME_ID]);
    expect(idsOf('FIND {acme globex} IN NAME FIELDS RETURNING Account')).toEqual([]);
    expect(idsOf('FIND {acm} IN NAME FIELDS RETURNING Account')).toEqual([]);
    expect(idsOf('FIND {Glob*} IN NAME FIELDS RETURNING Account')).toEqual([GLOBEX_ID]);
    expect(idsOf('FIND {Ac?e} RETURNING Account')).toEqual([ACME_ID]);
  });

  it('matches quoted phrases as consecutive words', () => {
    expect(idsOf('FIND {"Jane Smith"} RETURNING Contact')).toEqual(['003000000000001AAA']);
    expect(idsOf('FIND {"Smith Jane"} RETURNING Contact')).toEqual([]);
  });

  it('accepts backslash-escaped reserved characters in the term', () => {
    expect(idsOf('FIND {Smith\\-Jones} IN NAME FIELDS RETURNING Contact')).toEqual(['003000000000001AAA']);
    expect(idsOf("FIND {O\\'Brien} RETURNING Account")).toEqual(['001000000000003AAA']);
    expect(idsOf('FIND {100\\% \\& \\{Inc\\}} RETURNING Account')).toEqual([GLOBEX_ID]);
  });

  it('searches EMAIL fields by whole address or word', () => {
    expect(idsOf('FIND {john.doe@globex.com} IN EMAIL FIELDS RETURNING Contact')).toEqual([
      '003000000000002AAA',
    ]);
    expect(idsOf('FIND {umbrella} IN EMAIL FIELDS RETURNING Lead')).toEqual(['00Q000000000002AAA']);
    expect(idsOf('FIND {umbrella} IN NAME FIELDS RETURNING Lead')).toEqual(['00Q000000000002AAA']);
    expect(idsOf('FIND {jane} IN EMAIL FIELDS RETURNING Lead')).toEqual([]);
  });

  it('applies WHERE, ORDER BY and LIMIT inside RETURNING with the SOQL evaluator', () => {
    expect(
      search('FIND {4155551212} IN PHONE FIELDS RETURNING Lead(Id, Name WHERE IsConverted = false)'),
    ).toEqual([
      {
        attributes: { type: 'Lead', url: '/services/data/v62.0/sobjects/Lead/00Q000000000001AAA' },
        Id: '00Q000000000001AAA',
        Name: 'Lena Lead',
      },
    ]);
    expect(
      search(
        'FIND {4155551212} IN PHONE FIELDS RETURNING Contact(Name, Account.Name ORDER BY Name DESC LIMIT 1)',
      ),
    ).toEqual([
      {
        attributes: expect.any(Object),
        Name: 'John Doe',
        Account: { attributes: expect.any(Object), Name: 'Globex 100% Inc' },
      },
    ]);
  });

  it('respects the overall LIMIT across objects, in RETURNING order', () => {
    expect(idsOf('FIND {4155551212} IN PHONE FIELDS RETURNING Lead, Contact LIMIT 3')).toEqual([
      '00Q000000000001AAA',
      '00Q000000000002AAA',
      '003000000000001AAA',
    ]);
  });

  it('without RETURNING searches the standard objects and returns Ids only', () => {
    expect(search('FIND {acme}')).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ACME_ID}` },
        Id: ACME_ID,
      },
      expect.objectContaining({ Id: '003000000000001AAA' }),
      expect.objectContaining({ Id: '00Q000000000001AAA' }),
      expect.objectContaining({ Id: OPPORTUNITY_ID }),
    ]);
  });

  it('only sees records the search index knows', () => {
    const lagging = buildTestSchema({ notYetIndexed: ['00Q000000000001AAA'] });
    expect(executeSosl('FIND {4155551212} IN PHONE FIELDS RETURNING Lead', lagging).searchRecords).toEqual([
      expect.objectContaining({ Id: '00Q000000000002AAA' }),
    ]);
  });

  it('is case-insensitive in keywords and names', () => {
    expect(idsOf('find {ACME} in name fields returning account(id)')).toEqual([ACME_ID]);
  });
});

describe('executeSosl: errors', () => {
  it('requires braces around the term', () => {
    expect(errorOf(() => search('FIND 4155551212 IN PHONE FIELDS'))).toMatchObject({
      errorCode: 'MALFORMED_SEARCH',
      message: 'No search term found. The search term must be enclosed in braces.',
    });
    expect(errorOf(() => search(''))).toMatchObject({ errorCode: 'MALFORMED_SEARCH' });
  });

  it('rejects unescaped reserved characters where Salesforce does (recorded message, 0-based column)', () => {
    const sosl = 'FIND {John|jane_gray@uoa.edu} RETURNING Contact';
    expect(errorOf(() => search(sosl))).toMatchObject({
      errorCode: 'MALFORMED_SEARCH',
      message: `\n${sosl}\n         ^\nERROR at Row:1:Column:10\nline 1:10 mismatched character '|' expecting '}'`,
    });
  });

  it('rejects a bad field group (recorded message)', () => {
    const sosl = 'FIND {name} IN ALL TYPE RETURNING Account(name)';
    expect(errorOf(() => search(sosl)).message).toBe(
      `\n${sosl}\n${' '.repeat(18)}^\nERROR at Row:1:Column:19\nMalformed search token: TYPE`,
    );
  });

  it('reports unknown objects and fields in RETURNING like SOQL', () => {
    const badObject = errorOf(() => search('FIND {acme} RETURNING Bacon__x'));
    expect(badObject.errorCode).toBe('INVALID_TYPE');
    expect(badObject.message).toContain("sObject type 'Bacon__x' is not supported.");
    const badField = errorOf(() => search('FIND {acme} RETURNING Account(Id, Bacon__c)'));
    expect(badField.errorCode).toBe('INVALID_FIELD');
    expect(badField.message).toContain("No such column 'Bacon__c' on entity 'Account'.");
  });

  it('rejects other syntax errors, too-short terms and unterminated braces', () => {
    expect(errorOf(() => search('FIND {acme} RETURNING Account(Id Name)'))).toMatchObject({
      errorCode: 'MALFORMED_SEARCH',
      message: expect.stringContaining('unexpected token: Name'),
    });
    expect(errorOf(() => search('FIND {a*}'))).toMatchObject({
      errorCode: 'MALFORMED_SEARCH',
      message: 'search term must be longer than one character',
    });
    expect(errorOf(() => search('FIND {acme'))).toMatchObject({
      errorCode: 'MALFORMED_SEARCH',
      message: expect.stringContaining("mismatched character '<EOF>' expecting '}'"),
    });
    expect(errorOf(() => search('SEARCH {acme}')).message).toBe('unexpected token: SEARCH');
  });
});

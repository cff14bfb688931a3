import { executeSoql, SalesforceQueryError } from './index';
import { ACME_ID, buildTestSchema, GLOBEX_ID, INITECH_ID, USER_ID } from './testing-schema';

const schema = buildTestSchema();
const soql = (query: string) => executeSoql(query, schema);
const ids = (query: string) => soql(query).records.map((record) => record.Id);
const names = (query: string) => soql(query).records.map((record) => record.Name);

function errorOf(run: () => unknown): SalesforceQueryError {
  try {
    run();
  } catch (error) {
    if (error instanceof SalesforceQueryError) return error;
    throw error;
  }
  throw new Error('expected a SalesforceQueryError');
}

/** The multi-line form Salesforce uses: the line, a caret under the column, then the message. */
function positioned(query: string, column: number, message: string): string {
  return `\n${query}\n${' '.repeat(column - 1)}^\nERROR at Row:1:Column:${column}\n${message}`;
}

describe('executeSoql: records and columns', () => {
  it('returns attributes first, then the selected fields in SELECT order with canonical names', () => {
    const result = soql("select name, ID, industry from ACCOUNT where name = 'acme corp'");
    expect(result.totalSize).toBe(1);
    expect(result.records).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ACME_ID}` },
        Name: 'Acme Corp',
        Id: ACME_ID,
        Industry: 'Technology',
      },
    ]);
    expect(Object.keys(result.records[0])).toEqual(['attributes', 'Name', 'Id', 'Industry']);
  });

  it('answers null for empty values and returns rows in insertion order', () => {
    expect(soql('SELECT Industry FROM Account').records.map((record) => record.Industry)).toEqual([
      'Technology',
      null,
      'Finance',
    ]);
  });

  it('answers COUNT() with totalSize and no records', () => {
    expect(soql('SELECT COUNT() FROM Contact WHERE AccountId != null')).toEqual({
      totalSize: 2,
      records: [],
    });
  });

  it('accepts the object name as a path qualifier', () => {
    expect(names("SELECT Account.Name FROM Account WHERE Account.Industry = 'Finance'")).toEqual([
      "Initech O'Brien",
    ]);
  });
});

describe('executeSoql: WHERE operators', () => {
  it.each([
    ['NumberOfEmployees = 40', [INITECH_ID]],
    ['NumberOfEmployees != 40', [ACME_ID, GLOBEX_ID]],
    ['NumberOfEmployees <> 40', [ACME_ID, GLOBEX_ID]],
    ['NumberOfEmployees < 40', [GLOBEX_ID]],
    ['NumberOfEmployees <= 40', [GLOBEX_ID, INITECH_ID]],
    ['NumberOfEmployees > 40', [ACME_ID]],
    ['NumberOfEmployees >= 40', [ACME_ID, INITECH_ID]],
    ['AnnualRevenue > 300000.5', [ACME_ID]],
    ['AnnualRevenue < -1', []],
  ])('%s', (condition, expected) => {
    expect(ids(`SELECT Id FROM Account WHERE ${condition}`)).toEqual(expected);
  });

  it('compares strings case-insensitively, for = and for ordering operators', () => {
    expect(ids("SELECT Id FROM Account WHERE Name = 'ACME CORP'")).toEqual([ACME_ID]);
    expect(ids("SELECT Id FROM Account WHERE Name < 'b'")).toEqual([ACME_ID]);
  });

  it('decodes backslash escapes in string literals', () => {
    expect(ids("SELECT Id FROM Account WHERE Name = 'Initech O\\'Brien'")).toEqual([INITECH_ID]);
    expect(ids("SELECT Id FROM Account WHERE Name = 'Initech\\tO\\'Brien'")).toEqual([]);
  });

  it('matches ids in 15- or 18-character form', () => {
    expect(ids(`SELECT Id FROM Account WHERE Id = '${ACME_ID.slice(0, 15)}'`)).toEqual([ACME_ID]);
    expect(ids(`SELECT Id FROM Contact WHERE AccountId = '${ACME_ID}'`)).toEqual(['003000000000001AAA']);
  });

  it('compares booleans', () => {
    expect(names('SELECT Name FROM Lead WHERE IsConverted = false')).toEqual(['Lena Lead']);
    expect(names('SELECT Name FROM Lead WHERE IsConverted = TRUE')).toEqual(['Carl Converted']);
  });

  it('treats = null / != null as emptiness tests, and lets != match empty values like Salesforce', () => {
    expect(ids('SELECT Id FROM Account WHERE Industry = null')).toEqual([GLOBEX_ID]);
    expect(ids('SELECT Id FROM Account WHERE Industry != null')).toEqual([ACME_ID, INITECH_ID]);
    expect(ids("SELECT Id FROM Account WHERE Industry != 'Finance'")).toEqual([ACME_ID, GLOBEX_ID]);
    expect(ids('SELECT Id FROM Account WHERE AnnualRevenue > 0')).toEqual([ACME_ID, GLOBEX_ID]);
  });

  it('supports IN and NOT IN, including null members', () => {
    expect(ids("SELECT Id FROM Account WHERE Industry IN ('finance', 'Technology')")).toEqual([
      ACME_ID,
      INITECH_ID,
    ]);
    expect(ids("SELECT Id FROM Account WHERE Industry NOT IN ('Finance')")).toEqual([ACME_ID, GLOBEX_ID]);
    expect(ids("SELECT Id FROM Account WHERE Industry IN ('Finance', null)")).toEqual([
      GLOBEX_ID,
      INITECH_ID,
    ]);
    expect(ids('SELECT Id FROM Account WHERE NumberOfEmployees IN (8, 120)')).toEqual([ACME_ID, GLOBEX_ID]);
  });

  it('supports LIKE with % and _, case-insensitively, and escaped wildcards', () => {
    expect(ids("SELECT Id FROM Account WHERE Name LIKE 'acme%'")).toEqual([ACME_ID]);
    expect(ids("SELECT Id FROM Account WHERE Name LIKE '%C_RP'")).toEqual([ACME_ID]);
    expect(ids("SELECT Id FROM Account WHERE Name LIKE '%100\\%%'")).toEqual([GLOBEX_ID]);
    expect(ids("SELECT Id FROM Account WHERE Name LIKE '%1\\%%'")).toEqual([]);
    expect(ids("SELECT Id FROM Account WHERE Industry LIKE '%'")).toEqual([ACME_ID, INITECH_ID]);
  });

  it('combines conditions with AND, OR, NOT and parentheses', () => {
    expect(
      ids("SELECT Id FROM Account WHERE Industry = 'Finance' OR NumberOfEmployees < 10 OR Name = 'x'"),
    ).toEqual([GLOBEX_ID, INITECH_ID]);
    expect(ids('SELECT Id FROM Account WHERE NumberOfEmployees > 5 AND NumberOfEmployees < 100')).toEqual([
      GLOBEX_ID,
      INITECH_ID,
    ]);
    expect(
      ids(
        "SELECT Id FROM Account WHERE (Industry = 'Finance' OR Industry = null) AND NumberOfEmployees > 10",
      ),
    ).toEqual([INITECH_ID]);
    expect(
      ids(
        "SELECT Id FROM Account WHERE Industry = 'Finance' OR (Industry = null AND NumberOfEmployees > 10)",
      ),
    ).toEqual([INITECH_ID]);
    expect(ids("SELECT Id FROM Account WHERE NOT Industry = 'Finance'")).toEqual([ACME_ID, GLOBEX_ID]);
    expect(ids("SELECT Id FROM Account WHERE NOT (Industry = 'Finance' OR Industry = null)")).toEqual([
      ACME_ID,
    ]);
  });

  it('rejects AND and OR mixed without parentheses, as Salesforce does', () => {
    const query = "SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'";
    const error = errorOf(() => soql(query));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toBe(positioned(query, query.indexOf('OR') + 1, 'unexpected token: OR'));
  });

  it('compares dates and datetimes, with zone offsets', () => {
    expect(names('SELECT Name FROM Contact WHERE Birthdate > 1988-01-01')).toEqual(['Jane Smith-Jones']);
    expect(names('SELECT Name FROM Contact WHERE Birthdate = 1985-07-30')).toEqual(['Orphan']);
    expect(ids('SELECT Id FROM Account WHERE CreatedDate >= 2026-05-14T10:00:00Z')).toEqual([ACME_ID]);
    expect(ids('SELECT Id FROM Account WHERE CreatedDate > 2026-05-13T01:00:00+02:00')).toEqual([
      ACME_ID,
      GLOBEX_ID,
    ]);
    expect(ids('SELECT Id FROM Account WHERE CreatedDate < 2026-05-01')).toEqual([INITECH_ID]);
  });

  it('resolves relative date literals against the current day', () => {
    jest.useFakeTimers({ now: new Date('2026-05-14T15:00:00Z') });
    try {
      expect(ids('SELECT Id FROM Account WHERE CreatedDate = TODAY')).toEqual([ACME_ID]);
      expect(ids('SELECT Id FROM Account WHERE CreatedDate = YESTERDAY')).toEqual([]);
      expect(ids('SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:2')).toEqual([ACME_ID, GLOBEX_ID]);
      expect(ids('SELECT Id FROM Account WHERE CreatedDate < LAST_N_DAYS:30')).toEqual([INITECH_ID]);
      expect(ids('SELECT Id FROM Account WHERE CreatedDate > TOMORROW')).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('executeSoql: parent relationships', () => {
  it('nests the parent record, or answers null when the reference is empty', () => {
    const records = soql('SELECT Name, Account.Name, Account.Industry FROM Contact ORDER BY Name').records;
    expect(records).toEqual([
      {
        attributes: { type: 'Contact', url: '/services/data/v62.0/sobjects/Contact/003000000000001AAA' },
        Name: 'Jane Smith-Jones',
        Account: {
          attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ACME_ID}` },
          Name: 'Acme Corp',
          Industry: 'Technology',
        },
      },
      expect.objectContaining({ Name: 'John Doe', Account: expect.objectContaining({ Industry: null }) }),
      expect.objectContaining({ Name: 'Orphan', Account: null }),
    ]);
  });

  it('follows two levels and custom __r relationships', () => {
    const [withParent, withoutParent] = soql(
      'SELECT Name, Parent__r.Name, Parent__r.Owner.Name FROM Call_Log__c',
    ).records;
    expect(withParent.Parent__r).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ACME_ID}` },
      Name: 'Acme Corp',
      Owner: {
        attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${USER_ID}` },
        Name: 'Ada Admin',
      },
    });
    expect(withoutParent.Parent__r).toBeNull();
  });

  it('filters and sorts on relationship paths (a missing parent reads as null)', () => {
    expect(names("SELECT Name FROM Contact WHERE Account.Name = 'acme corp'")).toEqual(['Jane Smith-Jones']);
    expect(names('SELECT Name FROM Contact WHERE Account.Name = null')).toEqual(['Orphan']);
    expect(names('SELECT Name FROM Contact ORDER BY Account.Name DESC')).toEqual([
      'John Doe',
      'Jane Smith-Jones',
      'Orphan',
    ]);
  });

  it('resolves polymorphic references through findById and types them as Name', () => {
    const records = soql('SELECT Subject, What.Name FROM Task').records;
    expect(records.map((record) => record.What)).toEqual([
      {
        attributes: { type: 'Name', url: `/services/data/v62.0/sobjects/Account/${ACME_ID}` },
        Name: 'Acme Corp',
      },
      {
        attributes: { type: 'Name', url: '/services/data/v62.0/sobjects/Opportunity/006000000000001AAA' },
        Name: 'Acme renewal',
      },
      null,
    ]);
  });
});

describe('executeSoql: ORDER BY, LIMIT, OFFSET', () => {
  it('sorts ascending with nulls first by default, descending with nulls last', () => {
    expect(ids('SELECT Id FROM Account ORDER BY Industry')).toEqual([GLOBEX_ID, INITECH_ID, ACME_ID]);
    expect(ids('SELECT Id FROM Account ORDER BY Industry DESC')).toEqual([ACME_ID, INITECH_ID, GLOBEX_ID]);
    expect(ids('SELECT Id FROM Account ORDER BY Industry ASC NULLS LAST')).toEqual([
      INITECH_ID,
      ACME_ID,
      GLOBEX_ID,
    ]);
    expect(ids('SELECT Id FROM Account ORDER BY Industry DESC NULLS FIRST')).toEqual([
      GLOBEX_ID,
      ACME_ID,
      INITECH_ID,
    ]);
  });

  it('sorts numbers numerically and strings case-insensitively, on several columns', () => {
    expect(ids('SELECT Id FROM Account ORDER BY NumberOfEmployees')).toEqual([
      GLOBEX_ID,
      INITECH_ID,
      ACME_ID,
    ]);
    expect(names('SELECT Name FROM Lead ORDER BY IsConverted DESC, Name')).toEqual([
      'Carl Converted',
      'Lena Lead',
    ]);
    expect(names('SELECT Name FROM Contact ORDER BY Phone NULLS LAST, Name DESC')).toEqual([
      'Orphan',
      'Jane Smith-Jones',
      'John Doe',
    ]);
  });

  it('applies OFFSET then LIMIT after sorting', () => {
    const query = 'SELECT Id FROM Account ORDER BY NumberOfEmployees DESC LIMIT 1 OFFSET 1';
    expect(soql(query)).toEqual({ totalSize: 1, records: [expect.objectContaining({ Id: INITECH_ID })] });
    expect(ids('SELECT Id FROM Account LIMIT 2')).toEqual([ACME_ID, GLOBEX_ID]);
    expect(ids('SELECT Id FROM Account LIMIT 0')).toEqual([]);
    expect(ids('SELECT Id FROM Account OFFSET 5')).toEqual([]);
  });
});

describe('executeSoql: errors in Salesforce form', () => {
  it('reports an unknown column exactly as Salesforce does', () => {
    const error = errorOf(() => soql('SELECT Bacon__c FROM Account LIMIT 2'));
    expect(error).toBeInstanceOf(SalesforceQueryError);
    expect(error.errorCode).toBe('INVALID_FIELD');
    expect(error.message).toBe(
      "\nSELECT Bacon__c FROM Account LIMIT 2\n       ^\nERROR at Row:1:Column:8\nNo such column 'Bacon__c' on entity " +
        "'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom " +
        'field name. Please reference your WSDL or the describe call for the appropriate names.',
    );
  });

  it('reports unknown columns in WHERE and ORDER BY, and on parents, at the path', () => {
    const query = "SELECT Id FROM Contact WHERE Account.Nope = 'x'";
    const error = errorOf(() => soql(query));
    expect(error.errorCode).toBe('INVALID_FIELD');
    expect(error.message).toMatch(
      new RegExp(
        `^\\nSELECT.*\\n {29}\\^\\nERROR at Row:1:Column:30\\nNo such column 'Nope' on entity 'Account'\\.`,
      ),
    );
    expect(errorOf(() => soql('SELECT Id FROM Contact ORDER BY Foo')).message).toContain(
      "No such column 'Foo'",
    );
  });

  it('reports an unknown relationship', () => {
    const error = errorOf(() => soql('SELECT Id, Boss__r.Name FROM Contact'));
    expect(error.errorCode).toBe('INVALID_FIELD');
    expect(error.message).toBe(
      positioned(
        'SELECT Id, Boss__r.Name FROM Contact',
        12,
        "Didn't understand relationship 'Boss__r' in field path. If you are attempting to use a custom " +
          "relationship, be sure to append the '__r' after the custom relationship name. Please reference your " +
          'WSDL or the describe call for the appropriate names.',
      ),
    );
  });

  it('reports an unknown object', () => {
    const error = errorOf(() => soql('SELECT Id FROM Bacon__x'));
    expect(error.errorCode).toBe('INVALID_TYPE');
    expect(error.message).toBe(
      positioned(
        'SELECT Id FROM Bacon__x',
        16,
        "sObject type 'Bacon__x' is not supported. If you are attempting to use a custom object, be sure to " +
          "append the '__c' after the entity name. Please reference your WSDL or the describe call for the " +
          'appropriate names.',
      ),
    );
  });

  it('reports a statement that does not start with SELECT without a caret (recorded form)', () => {
    const error = errorOf(() => soql('SELEKT Id FROM Account'));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.message).toBe('unexpected token: SELEKT');
  });

  it('reports other syntax errors with the caret form', () => {
    expect(errorOf(() => soql('SELECT Id FROM Account WHERE')).message).toBe(
      positioned('SELECT Id FROM Account WHERE', 29, 'unexpected token: <EOF>'),
    );
    expect(errorOf(() => soql('SELECT Id, FROM Account')).message).toBe(
      positioned('SELECT Id, FROM Account', 12, 'unexpected token: FROM'),
    );
    expect(errorOf(() => soql("SELECT Id FROM Account WHERE Name = 'a' LIMIT x")).message).toBe(
      positioned("SELECT Id FROM Account WHERE Name = 'a' LIMIT x", 47, 'unexpected token: x'),
    );
    expect(errorOf(() => soql('SELECT Id FROM Account GARBAGE')).errorCode).toBe('MALFORMED_QUERY');
  });

  it('points at the right row and column of a multi-line query', () => {
    const error = errorOf(() => soql('SELECT Id\nFROM Account\nWHERE Nope = 1'));
    expect(error.message).toMatch(
      /^\nWHERE Nope = 1\n {6}\^\nERROR at Row:3:Column:7\nNo such column 'Nope'/,
    );
  });

  it('rejects empty queries, bad escapes, unterminated strings and stray characters', () => {
    expect(errorOf(() => soql('  '))).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: 'A query string has to be specified',
    });
    expect(errorOf(() => soql("SELECT Id FROM Account WHERE Name = 'a\\qb'")).message).toBe(
      positioned(
        "SELECT Id FROM Account WHERE Name = 'a\\qb'",
        37,
        "Invalid string literal 'a\\qb'. Illegal character sequence '\\q' in string literal.",
      ),
    );
    expect(errorOf(() => soql("SELECT Id FROM Account WHERE Name = 'abc")).errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf(() => soql('SELECT Id FROM Account WHERE Name = @x')).message).toContain(
      "line 1:36 no viable alternative at character '@'",
    );
  });

  it('rejects a field selected twice', () => {
    expect(errorOf(() => soql('SELECT Id, Name, id FROM Account'))).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: 'duplicate field selected: id',
    });
  });

  it('gives the same answer for a cached parse', () => {
    const query = "SELECT Id FROM Account WHERE Name LIKE 'A%'";
    expect(soql(query)).toEqual(soql(query));
  });
});

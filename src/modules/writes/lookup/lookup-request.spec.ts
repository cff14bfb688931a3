import { buildLookupComposite, knownRecordsOf, mergeLookupResponse } from './lookup-request';
import { normalizePhone } from './phone-number';

const entry = (referenceId: string, body: unknown, httpStatusCode = 200) => ({
  referenceId,
  body,
  httpStatusCode,
  httpHeaders: {},
});
const rec = (type: string, Id: string, Name: string, extra: Record<string, string> = {}) => ({
  attributes: { type },
  Id,
  Name,
  ...extra,
});

describe('lookup request', () => {
  it('builds one composite: the SOSL search on digits and three escaped SOQL queries on the stored formats', () => {
    const body = buildLookupComposite(normalizePhone('+14155551212', 'US'), '62.0');
    expect(body.allOrNone).toBe(false);
    expect(body.compositeRequest.map((sub) => sub.referenceId)).toEqual([
      'search',
      'contacts',
      'leads',
      'accounts',
    ]);
    const [search, contacts, leads] = body.compositeRequest.map((sub) =>
      decodeURIComponent(sub.url.split('q=')[1]),
    );
    expect(search).toMatch(
      /^FIND \{4155551212\} IN PHONE FIELDS RETURNING Contact\(.*\), Lead\(.*WHERE IsConverted = false\)/,
    );
    expect(contacts).toContain("Phone IN ('+14155551212','+1 415 555 1212','(415) 555-1212'");
    expect(leads).toContain('IsConverted = false AND (Phone IN');
  });

  it('merges search and queries, de-duplicated, Contacts then Leads then Accounts', () => {
    const merged = mergeLookupResponse({
      compositeResponse: [
        entry('search', {
          searchRecords: [
            rec('Account', '001A', 'Acme'),
            rec('Contact', '003A', 'Jane', { AccountId: '001A' }),
          ],
        }),
        entry('contacts', { records: [rec('Contact', '003A', 'Jane'), rec('Contact', '003B', 'Fresh')] }),
        entry('leads', { records: [] }),
        entry('accounts', { records: [rec('Account', '001A', 'Acme')] }),
      ],
    });
    expect(merged.matches.map((m) => m.id)).toEqual(['003A', '003B', '001A']);
    expect(merged.matches[0]).toEqual({ object: 'Contact', id: '003A', name: 'Jane', accountId: '001A' });
    expect(merged.source).toBe('sosl+soql');
    expect(merged.failure).toBeUndefined();
  });

  it('keeps what answered when one part fails, and reports a failure only when nothing answered', () => {
    const error = [{ errorCode: 'MALFORMED_SEARCH', message: 'bad' }];
    const partial = mergeLookupResponse({
      compositeResponse: [
        entry('search', error, 400),
        entry('contacts', { records: [rec('Contact', '003B', 'Fresh')] }),
      ],
    });
    expect(partial).toMatchObject({ source: 'soql', matches: [{ id: '003B' }] });
    expect(partial.failure).toBeUndefined();
    const none = mergeLookupResponse({ compositeResponse: [entry('search', error, 400)] });
    expect(none.failure).toEqual({ errorCode: 'MALFORMED_SEARCH', message: 'bad', status: 400 });
  });

  it('makes the first Contact and its Account known to the call, else a Lead, else an Account', () => {
    expect(
      knownRecordsOf([
        { object: 'Contact', id: '003A', name: 'J', accountId: '001A' },
        { object: 'Lead', id: '00QA', name: 'L' },
      ]),
    ).toEqual({ Contact: '003A', Account: '001A' });
    expect(knownRecordsOf([{ object: 'Lead', id: '00QA', name: 'L' }])).toEqual({ Lead: '00QA' });
    expect(knownRecordsOf([{ object: 'Account', id: '001A', name: 'A' }])).toEqual({ Account: '001A' });
    expect(knownRecordsOf([])).toEqual({});
  });
});

import { buildLookupRequests, knownRecordsOf, mergeLookupAnswers } from './lookup-request';
import { normalizePhone } from '../../mapping';

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
  const ok = <T>(body: T) => ({ ok: true as const, body });
  const failed = (errorCode: string, status = 400) => ({
    ok: false as const,
    failure: { errorCode, message: 'bad', status },
  });
  const queryAnswer = (...entries: ReturnType<typeof entry>[]) => ok({ compositeResponse: entries });

  it('builds the SOSL search on digits apart, and one composite of three escaped SOQL queries (no search inside: §5.1)', () => {
    const { sosl, queries } = buildLookupRequests(normalizePhone('+14155551212', 'US'), '62.0');
    expect(sosl).toMatch(
      /^FIND \{4155551212\} IN PHONE FIELDS RETURNING Contact\(.*\), Lead\(.*WHERE IsConverted = false\)/,
    );
    expect(queries.allOrNone).toBe(false);
    expect(queries.compositeRequest.map((sub) => sub.referenceId)).toEqual(['contacts', 'leads', 'accounts']);
    expect(queries.compositeRequest.every((sub) => sub.url.startsWith('/services/data/v62.0/query?q='))).toBe(
      true,
    );
    const [contacts, leads] = queries.compositeRequest.map((sub) =>
      decodeURIComponent(sub.url.split('q=')[1]),
    );
    expect(contacts).toContain("Phone IN ('+14155551212','+1 415 555 1212','(415) 555-1212'");
    expect(leads).toContain('IsConverted = false AND (Phone IN');
  });

  it('merges search and queries, de-duplicated, Contacts then Leads then Accounts', () => {
    const merged = mergeLookupAnswers({
      search: ok({
        searchRecords: [
          rec('Account', '001A', 'Acme'),
          rec('Contact', '003A', 'Jane', { AccountId: '001A' }),
        ],
      }),
      queries: queryAnswer(
        entry('contacts', { records: [rec('Contact', '003A', 'Jane'), rec('Contact', '003B', 'Fresh')] }),
        entry('leads', { records: [] }),
        entry('accounts', { records: [rec('Account', '001A', 'Acme')] }),
      ),
    });
    expect(merged.matches.map((m) => m.id)).toEqual(['003A', '003B', '001A']);
    expect(merged.matches[0]).toEqual({ object: 'Contact', id: '003A', name: 'Jane', accountId: '001A' });
    expect(merged.source).toBe('sosl+soql');
    expect(merged.failure).toBeUndefined();
    expect(merged.degraded).toBeUndefined();
  });

  it('keeps what one half found and says which half answered; fails only when neither did', () => {
    const searchDown = mergeLookupAnswers({
      search: failed('INVALID_INPUT'),
      queries: queryAnswer(entry('contacts', { records: [rec('Contact', '003B', 'Fresh')] })),
    });
    expect(searchDown).toMatchObject({ source: 'soql', matches: [{ id: '003B' }] });
    expect(searchDown.degraded).toEqual({
      answeredBy: 'soql',
      failed: 'sosl',
      errorCode: 'INVALID_INPUT',
      message: 'bad',
    });
    expect(searchDown.failure).toBeUndefined();

    const queriesDown = mergeLookupAnswers({
      search: ok({ searchRecords: [rec('Lead', '00QA', 'Old')] }),
      queries: queryAnswer(entry('contacts', [{ errorCode: 'MALFORMED_QUERY', message: 'x' }], 400)),
    });
    expect(queriesDown).toMatchObject({
      source: 'sosl',
      degraded: { answeredBy: 'sosl', failed: 'soql', errorCode: 'MALFORMED_QUERY' },
    });

    const none = mergeLookupAnswers({
      search: failed('SERVER_UNAVAILABLE', 503),
      queries: failed('SERVER_UNAVAILABLE', 503),
    });
    expect(none.failure).toEqual({ errorCode: 'SERVER_UNAVAILABLE', message: 'bad', status: 503 });
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

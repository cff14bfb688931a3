import { subrequestFailure } from '../../salesforce/client/composite-outcome';
import type { CompositeRequestBody, CompositeResponse } from '../../salesforce/client/salesforce-client';
import type { NormalizedPhone } from '../../mapping';
import { soqlStringList, soslTerm } from './salesforce-escape';

export type LookupObject = 'Contact' | 'Lead' | 'Account';

export interface LookupMatch {
  object: LookupObject;
  id: string;
  name: string;
  accountId?: string;
  ownerId?: string;
}

/** `sosl`/`soql`: which part found the matches (both when each found some); `cache`: no Salesforce call. */
export type LookupSource = 'sosl' | 'soql' | 'sosl+soql' | 'none' | 'cache';

/** The two halves of a lookup, sent at the same moment. */
export type LookupPart = 'sosl' | 'soql';

export interface LookupFailure {
  errorCode: string;
  message: string;
  status: number;
}

export interface LookupResult {
  matches: LookupMatch[];
  source: LookupSource;
  /** The number looked up, in E.164. */
  phone?: string;
  /** Set when one half failed: the answer comes from the other half only, and may miss callers. */
  degraded?: { answeredBy: LookupPart; failed: LookupPart; errorCode: string; message: string };
}

const MAX_PER_OBJECT = 20;
const OBJECT_ORDER: readonly LookupObject[] = ['Contact', 'Lead', 'Account'];
const QUERY_REFS: Readonly<Record<LookupObject, string>> = {
  Contact: 'contacts',
  Lead: 'leads',
  Account: 'accounts',
};

export interface LookupRequests {
  /** SOSL on PHONE fields across Contact, Lead (not converted) and Account: finds any stored spelling. */
  sosl: string;
  /** The SOQL fallback on the stored formats, for records created too recently to be searchable. */
  queries: CompositeRequestBody;
}

/**
 * A caller lookup (salesforce-rest.md §4.4): SOSL is not a documented `/composite` target (§5.1), so the search
 * and a `/composite` of the three SOQL fallback queries are two requests, sent at the same moment over the warm
 * pool: one round trip of wall time, two API calls. `allOrNone: false`: one failed query does not hide the others.
 */
export function buildLookupRequests(phone: NormalizedPhone, apiVersion: string): LookupRequests {
  const base = `/services/data/v${apiVersion}`;
  const formats = soqlStringList(phone.storedFormats);
  const sosl =
    `FIND ${soslTerm(phone.nationalDigits)} IN PHONE FIELDS RETURNING ` +
    `Contact(Id, Name, AccountId, OwnerId), Lead(Id, Name, OwnerId WHERE IsConverted = false), ` +
    `Account(Id, Name, OwnerId) LIMIT ${MAX_PER_OBJECT * 3}`;
  const queries: Record<LookupObject, string> = {
    Contact: `SELECT Id, Name, AccountId, OwnerId FROM Contact WHERE Phone IN ${formats} OR MobilePhone IN ${formats} LIMIT ${MAX_PER_OBJECT}`,
    Lead: `SELECT Id, Name, OwnerId FROM Lead WHERE IsConverted = false AND (Phone IN ${formats} OR MobilePhone IN ${formats}) LIMIT ${MAX_PER_OBJECT}`,
    Account: `SELECT Id, Name, OwnerId FROM Account WHERE Phone IN ${formats} LIMIT ${MAX_PER_OBJECT}`,
  };
  return {
    sosl,
    queries: {
      allOrNone: false,
      compositeRequest: OBJECT_ORDER.map((object) => ({
        method: 'GET' as const,
        url: `${base}/query?q=${encodeURIComponent(queries[object])}`,
        referenceId: QUERY_REFS[object],
      })),
    },
  };
}

interface RawRecord {
  attributes?: { type?: string };
  Id?: string;
  Name?: string;
  AccountId?: string | null;
  OwnerId?: string | null;
}

/** What each half brought back: its body, or why it failed. */
export type PartOutcome<T> = { ok: true; body: T } | { ok: false; failure: LookupFailure };

export interface LookupAnswers {
  search: PartOutcome<unknown>;
  queries: PartOutcome<CompositeResponse>;
}

/**
 * Merges the search and the queries: de-duplicated by id, Contacts first, then Leads, then Accounts (the
 * search's order within each). `failure` is set when neither half answered; `degraded` when only one did.
 */
export function mergeLookupAnswers(answers: LookupAnswers): LookupResult & { failure?: LookupFailure } {
  const byId = new Map<string, LookupMatch>();
  const add = (record: RawRecord, fallbackType?: LookupObject) => {
    const object = (record.attributes?.type ?? fallbackType) as LookupObject;
    if (!record.Id || !OBJECT_ORDER.includes(object) || byId.has(record.Id)) return false;
    byId.set(record.Id, {
      object,
      id: record.Id,
      name: record.Name ?? '',
      ...(record.AccountId && { accountId: record.AccountId }),
      ...(record.OwnerId && { ownerId: record.OwnerId }),
    });
    return true;
  };
  let fromSearch = 0;
  let fromQuery = 0;
  if (answers.search.ok) {
    for (const record of searchRecords(answers.search.body)) if (add(record)) fromSearch += 1;
  }
  const queries = queryOutcome(answers.queries);
  if (queries.ok) {
    for (const { object, records } of queries.body) {
      for (const record of records) if (add(record, object)) fromQuery += 1;
    }
  }
  const matches = [...byId.values()].sort(
    (a, b) => OBJECT_ORDER.indexOf(a.object) - OBJECT_ORDER.indexOf(b.object),
  );
  const source: LookupSource =
    fromSearch && fromQuery ? 'sosl+soql' : fromSearch ? 'sosl' : fromQuery ? 'soql' : 'none';
  if (!answers.search.ok && !queries.ok) return { matches, source, failure: answers.search.failure };
  if (!answers.search.ok) return { matches, source, degraded: degradation('soql', answers.search.failure) };
  if (!queries.ok) return { matches, source, degraded: degradation('sosl', queries.failure) };
  return { matches, source };
}

function degradation(answeredBy: LookupPart, failure: LookupFailure): NonNullable<LookupResult['degraded']> {
  return {
    answeredBy,
    failed: answeredBy === 'sosl' ? 'soql' : 'sosl',
    errorCode: failure.errorCode,
    message: failure.message,
  };
}

/** The composite of queries answered when at least one of its queries did. */
function queryOutcome(
  outcome: PartOutcome<CompositeResponse>,
): PartOutcome<Array<{ object?: LookupObject; records: RawRecord[] }>> {
  if (!outcome.ok) return outcome;
  const answered = outcome.body.compositeResponse.filter((entry) => entry.httpStatusCode < 300);
  const failed = outcome.body.compositeResponse.find((entry) => entry.httpStatusCode >= 300);
  if (answered.length === 0 && failed) {
    return { ok: false, failure: failureOf(failed) };
  }
  return {
    ok: true,
    body: answered.map((entry) => ({
      object: OBJECT_ORDER.find((name) => QUERY_REFS[name] === entry.referenceId),
      records: (entry.body as { records?: RawRecord[] } | null)?.records ?? [],
    })),
  };
}

function searchRecords(body: unknown): RawRecord[] {
  if (Array.isArray(body)) return body as RawRecord[];
  return (body as { searchRecords?: RawRecord[] } | null)?.searchRecords ?? [];
}

/** A failed query subrequest, as the Salesforce client classifies it. */
function failureOf(entry: CompositeResponse['compositeResponse'][number]): LookupFailure {
  const error = subrequestFailure(entry);
  return {
    errorCode: error.salesforceErrorCode,
    message: error.salesforceMessage,
    status: entry.httpStatusCode,
  };
}

/** The records a lookup makes known to the call's writes: the first Contact (and its Account), else a Lead, else an Account. */
export function knownRecordsOf(matches: readonly LookupMatch[]): Record<string, string> {
  const contact = matches.find((match) => match.object === 'Contact');
  if (contact) return { Contact: contact.id, ...(contact.accountId && { Account: contact.accountId }) };
  const lead = matches.find((match) => match.object === 'Lead');
  if (lead) return { Lead: lead.id };
  const account = matches.find((match) => match.object === 'Account');
  return account ? { Account: account.id } : {};
}

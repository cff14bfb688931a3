import type { CompositeRequestBody, CompositeResponse } from '../../salesforce/client/salesforce-client';
import type { NormalizedPhone } from './phone-number';
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

export interface LookupResult {
  matches: LookupMatch[];
  source: LookupSource;
  /** The number looked up, in E.164. */
  phone?: string;
}

const MAX_PER_OBJECT = 20;
const OBJECT_ORDER: readonly LookupObject[] = ['Contact', 'Lead', 'Account'];
const SEARCH_REF = 'search';
const QUERY_REFS: Readonly<Record<LookupObject, string>> = {
  Contact: 'contacts',
  Lead: 'leads',
  Account: 'accounts',
};

/**
 * ONE `/composite` call for a caller lookup (salesforce-rest.md §4.4): the SOSL search on PHONE fields across
 * Contact, Lead (not converted) and Account, and the SOQL fallback on the stored formats (new records are not
 * searchable yet). `allOrNone: false`: a failed part does not hide what the others found.
 */
export function buildLookupComposite(phone: NormalizedPhone, apiVersion: string): CompositeRequestBody {
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
    allOrNone: false,
    compositeRequest: [
      { method: 'GET', url: `${base}/search?q=${encodeURIComponent(sosl)}`, referenceId: SEARCH_REF },
      ...OBJECT_ORDER.map((object) => ({
        method: 'GET' as const,
        url: `${base}/query?q=${encodeURIComponent(queries[object])}`,
        referenceId: QUERY_REFS[object],
      })),
    ],
  };
}

interface RawRecord {
  attributes?: { type?: string };
  Id?: string;
  Name?: string;
  AccountId?: string | null;
  OwnerId?: string | null;
}

export interface LookupFailure {
  errorCode: string;
  message: string;
  status: number;
}

/**
 * Merges the search and the queries: de-duplicated by id, Contacts first, then Leads, then Accounts (the
 * search's order within each). `failure` is set when no part answered.
 */
export function mergeLookupResponse(response: CompositeResponse): LookupResult & { failure?: LookupFailure } {
  const byId = new Map<string, LookupMatch>();
  let fromSearch = 0;
  let fromQuery = 0;
  let answered = 0;
  let failure: LookupFailure | undefined;
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
  for (const entry of response.compositeResponse) {
    if (entry.httpStatusCode >= 300) {
      failure ??= failureOf(entry.body, entry.httpStatusCode);
      continue;
    }
    answered += 1;
    if (entry.referenceId === SEARCH_REF) {
      for (const record of searchRecords(entry.body)) if (add(record)) fromSearch += 1;
    } else {
      const object = OBJECT_ORDER.find((name) => QUERY_REFS[name] === entry.referenceId);
      const records = (entry.body as { records?: RawRecord[] } | null)?.records ?? [];
      for (const record of records) if (add(record, object)) fromQuery += 1;
    }
  }
  const matches = [...byId.values()].sort(
    (a, b) => OBJECT_ORDER.indexOf(a.object) - OBJECT_ORDER.indexOf(b.object),
  );
  const source: LookupSource =
    fromSearch && fromQuery ? 'sosl+soql' : fromSearch ? 'sosl' : fromQuery ? 'soql' : 'none';
  return { matches, source, ...(answered === 0 && failure && { failure }) };
}

function searchRecords(body: unknown): RawRecord[] {
  if (Array.isArray(body)) return body as RawRecord[];
  return (body as { searchRecords?: RawRecord[] } | null)?.searchRecords ?? [];
}

function failureOf(body: unknown, status: number): LookupFailure {
  const first = Array.isArray(body) ? (body[0] as Partial<LookupFailure> | undefined) : undefined;
  return {
    errorCode: first?.errorCode ?? `ERROR_HTTP_${status}`,
    message: first?.message ?? 'lookup subrequest failed',
    status,
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

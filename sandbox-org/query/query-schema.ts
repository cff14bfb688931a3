/**
 * The contract between the sandbox org's HTTP server (which owns the record store and the describe metadata)
 * and its SOQL/SOSL engine (pure functions over this interface). Keep it small: the engine reads, never writes.
 */

/** One field as the org's describe reports it (only what the query engine needs). */
export interface QueryFieldInfo {
  name: string;
  /** describe `type`, lower-case: id, string, textarea, picklist, reference, boolean, int, double, currency,
   *  percent, date, datetime, phone, email, url, … */
  type: string;
  /** For reference fields: the relationship name used in SOQL paths (`Account` for `AccountId`, `Owner` for
   *  `OwnerId`, `Parent__r` for `Parent__c`). */
  relationshipName?: string | null;
  /** For reference fields: the objects an id may point at. */
  referenceTo?: string[];
}

export interface QueryObjectInfo {
  name: string;
  fields: QueryFieldInfo[];
}

/** A stored record: field API names as keys (including `Id`), values as the REST API returns them. */
export type StoredRecord = Readonly<Record<string, unknown>>;

export interface QuerySchema {
  /** API version used in `attributes.url` (e.g. "62.0"). */
  readonly apiVersion: string;
  /** Describe of an object, case-insensitive lookup of the name; undefined when the org has no such object. */
  describe(objectName: string): QueryObjectInfo | undefined;
  /** Every live (not deleted) record of the object, in insertion order. */
  records(objectName: string): readonly StoredRecord[];
  /** Records the search index already knows (the server may hide recently written ones to mimic index lag). */
  searchableRecords(objectName: string): readonly StoredRecord[];
  /** A record by 15- or 18-character id, whatever its object; undefined when absent or deleted. */
  findById(id: string): { objectName: string; record: StoredRecord } | undefined;
}

/** A Salesforce-shaped failure (the server wraps it in the REST error array with HTTP 400). */
export class SalesforceQueryError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'MALFORMED_SEARCH' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
    this.name = 'SalesforceQueryError';
  }
}

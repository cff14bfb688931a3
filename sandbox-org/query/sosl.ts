import { BoundedCache } from './bounded-cache';
import { QuerySource } from './query-source';
import {
  QueryFieldInfo,
  QueryObjectInfo,
  QuerySchema,
  SalesforceQueryError,
  StoredRecord,
} from './query-schema';
import { parseSearchTerm, phoneDigitsMatch, SearchTerm, tokenize, wordMatches } from './search-term';
import { ObjectRef, Selection } from './soql-ast';
import { compileSelection, OutputRecord } from './soql-executor';
import { ClauseParser } from './soql-parser';

export type SearchScope = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';
export const SEARCH_SCOPES: readonly SearchScope[] = ['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR'];

/** A search, whether written as SOSL or sent as a parameterized search. */
export interface SearchQuery {
  term: SearchTerm;
  scope: SearchScope;
  /** RETURNING targets in order; undefined searches the standard objects and returns their Ids. */
  targets?: Selection[];
  /** Overall cap on returned records. */
  limit?: number;
}

export const NO_SEARCH_TERM_MESSAGE = 'No search term found. The search term must be enclosed in braces.';
/** Salesforce answers at most the top 2,000 matches. */
const MAX_SEARCH_RESULTS = 2000;
/** Searched when a statement names no RETURNING objects. */
const DEFAULT_SEARCH_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity'];

const parsedSearches = new BoundedCache<SearchQuery>(500);

/** Runs a SOSL statement and answers the v37+ `{searchRecords}` shape. */
export function executeSosl(sosl: string, schema: QuerySchema): { searchRecords: OutputRecord[] } {
  let query = parsedSearches.get(sosl);
  if (!query) {
    query = parseSosl(sosl);
    parsedSearches.set(sosl, query);
  }
  return runSearch(query, schema, new QuerySource(sosl, 'sosl'));
}

/** `FIND {term} [IN <scope> FIELDS] [RETURNING Obj[(fields [WHERE…] [ORDER BY…] [LIMIT n])], …] [LIMIT n]` */
export function parseSosl(text: string): SearchQuery {
  const source = new QuerySource(text, 'sosl');
  const termStart = findTermStart(text);
  const termEnd = findTermEnd(source, termStart);
  const term = parseSearchTerm(text.slice(termStart + 1, termEnd), { source, offset: termStart + 1 });
  const parser = ClauseParser.forText(source, termEnd + 1);
  const scope = parser.acceptKeyword('IN') ? parseScope(parser, source) : 'ALL';
  const targets = parser.acceptKeyword('RETURNING') ? parseTargets(parser) : undefined;
  const limit = parser.acceptKeyword('LIMIT') ? parser.parseNonNegativeInteger() : undefined;
  parser.expectEnd();
  return { term, scope, targets, limit };
}

/** Position of the `{` that must follow FIND. */
function findTermStart(text: string): number {
  const find = /^\s*FIND(?![A-Za-z0-9_])\s*/i.exec(text);
  if (!find) {
    const firstWord = /[^\s{]+/.exec(text)?.[0];
    if (firstWord) throw new SalesforceQueryError('MALFORMED_SEARCH', `unexpected token: ${firstWord}`);
  }
  const brace = find ? find[0].length : -1;
  if (text[brace] !== '{') throw new SalesforceQueryError('MALFORMED_SEARCH', NO_SEARCH_TERM_MESSAGE);
  return brace;
}

/** Position of the closing `}`, skipping backslash-escaped characters. */
function findTermEnd(source: QuerySource, termStart: number): number {
  const { text } = source;
  for (let i = termStart + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '}') return i;
  }
  const end = text.length;
  throw source.malformed(end, `${source.lineAndColumn(end)} mismatched character '<EOF>' expecting '}'`);
}

function parseScope(parser: ClauseParser, source: QuerySource): SearchScope {
  const token = parser.advance();
  const scope = SEARCH_SCOPES.find((candidate) => candidate === token.value.toUpperCase());
  // Recorded: `IN ALL TYPE` fails with "Malformed search token: TYPE".
  if (!scope || token.kind !== 'identifier') {
    throw source.malformed(token.offset, `Malformed search token: ${token.text}`);
  }
  if (!parser.atKeyword('FIELDS')) {
    throw source.malformed(parser.peek().offset, `Malformed search token: ${parser.peek().text}`);
  }
  parser.advance();
  return scope;
}

function parseTargets(parser: ClauseParser): Selection[] {
  const targets = [parseTarget(parser)];
  while (parser.acceptSymbol(',')) targets.push(parseTarget(parser));
  return targets;
}

function parseTarget(parser: ClauseParser): Selection {
  const object = parser.parseObjectRef();
  if (!parser.acceptSymbol('(')) return idOnly(object);
  const fields = parser.parseFieldList();
  const filters = parser.parseFilterClauses();
  parser.expectSymbol(')');
  return { object, fields, ...filters };
}

function idOnly(object: ObjectRef): Selection {
  return { object, fields: [{ names: ['Id'], offset: object.offset }], orderBy: [] };
}

/** Executes a parsed search (shared by SOSL and parameterized search). */
export function runSearch(
  query: SearchQuery,
  schema: QuerySchema,
  source: QuerySource,
): { searchRecords: OutputRecord[] } {
  const targets = query.targets ?? defaultTargets(schema);
  // Compile every target first: a bad name anywhere fails the whole search, as in Salesforce.
  const compiled = targets.map((target) => compileSelection(target, schema, source));
  const searchRecords: OutputRecord[] = [];
  let remaining = Math.min(query.limit ?? MAX_SEARCH_RESULTS, MAX_SEARCH_RESULTS);
  for (const selection of compiled) {
    if (remaining <= 0) break;
    const info = schema.describe(selection.objectName);
    const fields = info ? searchFieldsOf(info, query.scope) : { text: [], phone: [] };
    const hits = schema
      .searchableRecords(selection.objectName)
      .filter((record) => recordMatches(record, fields, query.term, query.scope));
    const rows = selection.select(hits).slice(0, remaining);
    remaining -= rows.length;
    for (const row of rows) searchRecords.push(selection.render(row));
  }
  return { searchRecords };
}

function defaultTargets(schema: QuerySchema): Selection[] {
  return defaultSearchObjects(schema).map((name) => idOnly({ name, offset: 0 }));
}

/** The standard objects a search covers when it names none (those this org has). */
export function defaultSearchObjects(schema: QuerySchema): string[] {
  return DEFAULT_SEARCH_OBJECTS.filter((name) => schema.describe(name) !== undefined);
}

// ---------------------------------------------------------------------------------------------------------
// Field groups and matching

/** Fields a scope searches: `text` ones match words, `phone` ones match on digits. */
interface SearchFields {
  text: QueryFieldInfo[];
  phone: QueryFieldInfo[];
}

const TEXT_SEARCHABLE_TYPES = new Set([
  'string',
  'textarea',
  'phone',
  'email',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
]);
const NAME_FIELDS = new Set(['name', 'firstname', 'lastname', 'company']);

function isNameField(field: QueryFieldInfo): boolean {
  const name = field.name.toLowerCase();
  return NAME_FIELDS.has(name) || (field.type === 'string' && name.includes('name'));
}

const searchFieldsCache = new WeakMap<QueryObjectInfo, Map<SearchScope, SearchFields>>();

function searchFieldsOf(info: QueryObjectInfo, scope: SearchScope): SearchFields {
  let byScope = searchFieldsCache.get(info);
  if (!byScope) {
    byScope = new Map();
    searchFieldsCache.set(info, byScope);
  }
  let fields = byScope.get(scope);
  if (!fields) {
    fields = selectSearchFields(info.fields, scope);
    byScope.set(scope, fields);
  }
  return fields;
}

function selectSearchFields(all: QueryFieldInfo[], scope: SearchScope): SearchFields {
  const phone = all.filter((field) => field.type === 'phone');
  const email = all.filter((field) => field.type === 'email');
  switch (scope) {
    case 'PHONE':
      return { text: [], phone };
    case 'EMAIL':
      return { text: email, phone: [] };
    case 'NAME':
      return { text: all.filter(isNameField), phone: [] };
    case 'SIDEBAR':
      return { text: [...all.filter(isNameField), ...email], phone };
    case 'ALL':
      return { text: all.filter((field) => TEXT_SEARCHABLE_TYPES.has(field.type)), phone };
  }
}

function recordMatches(
  record: StoredRecord,
  fields: SearchFields,
  term: SearchTerm,
  scope: SearchScope,
): boolean {
  const compareDigits = scope === 'PHONE' || term.mostlyDigits;
  if (compareDigits && fields.phone.some((field) => phoneDigitsMatch(term.digits, record[field.name])))
    return true;
  if (term.words.length === 0 || fields.text.length === 0) return false;
  const values = fields.text.flatMap((field) => {
    const value = record[field.name];
    return typeof value === 'string' || typeof value === 'number' ? [tokenize(String(value))] : [];
  });
  return term.words.every((word) => values.some((tokens) => wordMatches(word, tokens)));
}

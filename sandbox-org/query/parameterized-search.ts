import { QuerySource } from './query-source';
import { QuerySchema, SalesforceQueryError } from './query-schema';
import { parseSearchTerm } from './search-term';
import { FieldPath, Selection } from './soql-ast';
import { OutputRecord } from './soql-executor';
import { ClauseParser } from './soql-parser';
import { defaultSearchObjects, runSearch, SEARCH_SCOPES, SearchQuery, SearchScope } from './sosl';

/** The `/parameterizedSearch` request (POST body; the GET form converts through parameterizedSearchFromQueryString). */
export interface ParameterizedSearchRequest {
  q: string;
  in?: string;
  /** Fields returned for objects that list none of their own. */
  fields?: string[];
  sobjects?: Array<{ name: string; fields?: string[]; limit?: number; where?: string }>;
  overallLimit?: number;
  /** Per-object limit for objects that set none. */
  defaultLimit?: number;
}

export const MISSING_Q_MESSAGE = "Missing required parameter 'q'";

/** Runs a parameterized search on the SOSL engine (same representation, same matching and WHERE evaluation). */
export function executeParameterizedSearch(
  params: ParameterizedSearchRequest,
  schema: QuerySchema,
): { searchRecords: OutputRecord[] } {
  // Clauses arrive as separate JSON values, so errors carry no Row/Column caret.
  return runSearch(toSearchQuery(params, schema), schema, new QuerySource('', 'sosl', false));
}

function toSearchQuery(params: ParameterizedSearchRequest, schema: QuerySchema): SearchQuery {
  const q = typeof params.q === 'string' ? params.q.trim() : '';
  if (q === '') throw new SalesforceQueryError('MALFORMED_SEARCH', MISSING_Q_MESSAGE);
  const objects = params.sobjects?.length
    ? params.sobjects
    : defaultSearchObjects(schema).map((name) => ({ name }));
  return {
    term: parseSearchTerm(q),
    scope: scopeOf(params.in),
    targets: objects.map((object) => toSelection(object, params)),
    limit: params.overallLimit,
  };
}

function scopeOf(value: string | undefined): SearchScope {
  if (value === undefined || value === '') return 'ALL';
  const scope = SEARCH_SCOPES.find((candidate) => candidate === value.toUpperCase());
  if (!scope)
    throw new SalesforceQueryError('MALFORMED_SEARCH', `Invalid value for parameter 'in': ${value}`);
  return scope;
}

function toSelection(
  object: { name: string; fields?: string[]; limit?: number; where?: string },
  params: ParameterizedSearchRequest,
): Selection {
  const fieldNames = object.fields?.length ? object.fields : params.fields?.length ? params.fields : ['Id'];
  return {
    object: { name: object.name, offset: 0 },
    fields: fieldNames.map(parseFieldPathText),
    where: object.where ? parseClause(object.where, (parser) => parser.parseCondition()) : undefined,
    orderBy: [],
    limit: object.limit ?? params.defaultLimit,
  };
}

function parseFieldPathText(text: string): FieldPath {
  return parseClause(text, (parser) => parser.parseFieldPath());
}

function parseClause<T>(text: string, parse: (parser: ClauseParser) => T): T {
  const parser = ClauseParser.forText(new QuerySource(text, 'sosl', false));
  const result = parse(parser);
  parser.expectEnd();
  return result;
}

/**
 * The GET form: `q`, `in`, `fields`, `sobject` (repeatable, or comma-separated), `<Obj>.fields`, `<Obj>.limit`,
 * `<Obj>.where`, `overallLimit`, `defaultLimit`. Parameter names are matched case-insensitively.
 */
export function parameterizedSearchFromQueryString(
  query: Record<string, string | string[]>,
): ParameterizedSearchRequest {
  const params = new Map(Object.entries(query).map(([key, value]) => [key.toLowerCase(), value]));
  const all = (key: string): string[] => {
    const value = params.get(key.toLowerCase());
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  };
  const first = (key: string): string | undefined => all(key)[0];
  const list = (key: string): string[] | undefined => {
    const values = all(key).flatMap(splitList);
    return values.length > 0 ? values : undefined;
  };
  const integer = (key: string): number | undefined => {
    const value = first(key)?.trim();
    if (value === undefined || value === '') return undefined;
    if (!/^\d+$/.test(value)) {
      throw new SalesforceQueryError('MALFORMED_SEARCH', `Invalid value for parameter '${key}': ${value}`);
    }
    return Number(value);
  };
  const names = all('sobject').flatMap(splitList);
  return {
    q: first('q') ?? '',
    in: first('in'),
    fields: list('fields'),
    sobjects: names.length
      ? names.map((name) => ({
          name,
          fields: list(`${name}.fields`),
          limit: integer(`${name}.limit`),
          where: first(`${name}.where`),
        }))
      : undefined,
    overallLimit: integer('overallLimit'),
    defaultLimit: integer('defaultLimit'),
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

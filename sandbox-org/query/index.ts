/**
 * The sandbox org's query engine: pure functions over a QuerySchema, called by the server for `/query`,
 * `/search` and `/parameterizedSearch`. Every failure is a SalesforceQueryError carrying Salesforce's
 * errorCode and message (the server answers HTTP 400 `[{"message","errorCode"}]`).
 */
export { executeSoql } from './soql-executor';
export { executeSosl } from './sosl';
export { executeParameterizedSearch, parameterizedSearchFromQueryString } from './parameterized-search';
export type { ParameterizedSearchRequest } from './parameterized-search';
export { SalesforceQueryError } from './query-schema';
export type { QueryFieldInfo, QueryObjectInfo, QuerySchema, StoredRecord } from './query-schema';

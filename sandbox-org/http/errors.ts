/**
 * The three Salesforce error envelopes (salesforce-rest.md §6.1):
 * REST array `[{message, errorCode, fields?}]`, SaveResult `{statusCode, message, fields}`, OAuth `{error, error_description}`.
 */

export interface RestErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
  /** DUPLICATES_DETECTED names the rule and the matching records (§6.1). */
  duplicateResult?: unknown;
}

export interface SaveResultError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** A REST resource failure; answered as a JSON array with `status`. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly items: RestErrorItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(items[0]?.message ?? 'error');
    this.name = 'RestError';
  }
}

export function restError(status: number, errorCode: string, message: string, fields?: string[]): RestError {
  return new RestError(status, [fields ? { message, errorCode, fields } : { message, errorCode }]);
}

export const notFound = (): RestError => restError(404, 'NOT_FOUND', 'The requested resource does not exist');

/** The same failure as a SaveResult `errors[]` (collections use `statusCode`, §5.2). */
export function toSaveResultErrors(error: RestError): SaveResultError[] {
  return error.items.map((item) => ({
    statusCode: item.errorCode,
    message: item.message,
    fields: item.fields ?? [],
  }));
}

/** A token/authorize endpoint failure; answered as `{error, error_description}` (§1.4). */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

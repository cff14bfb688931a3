/** Salesforce date/time formats (§2): `2026-05-20T20:49:32.000+0000` and `2026-05-20`. */

export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

export function formatDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO-8601 date/time as Salesforce accepts it (`Z` or an offset); undefined when invalid. */
export function parseDateTime(value: string): number | undefined {
  if (!DATE_TIME.test(value) && !DATE_ONLY.test(value)) return undefined;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A calendar date `YYYY-MM-DD` that really exists; undefined otherwise. */
export function parseDate(value: string): string | undefined {
  const datePart = value.slice(0, 10);
  if (!DATE_ONLY.test(datePart)) return undefined;
  const ms = Date.parse(`${datePart}T00:00:00Z`);
  return !Number.isNaN(ms) && formatDate(ms) === datePart ? datePart : undefined;
}

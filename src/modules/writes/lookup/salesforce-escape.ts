/**
 * Escaping for values placed into SOQL and SOSL text. Every value the connector puts into a query goes through
 * one of these two functions.
 */

const SOQL_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A SOQL string literal, quotes included: `O'Brien` → `'O\'Brien'`. */
export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (char) => SOQL_ESCAPES[char])}'`;
}

/** `('a','b')` for `IN` clauses. */
export function soqlStringList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(',')})`;
}

/** SOSL reserved characters inside braces (salesforce-rest.md §4.2), each escaped with a backslash. */
const SOSL_RESERVED = /[?&|!{}[\]()^~*:\\"'+-]/g;

/** A SOSL search term, braces included: `{Acme \- Inc}`. */
export function soslTerm(value: string): string {
  return `{${value.replace(SOSL_RESERVED, (char) => `\\${char}`)}}`;
}

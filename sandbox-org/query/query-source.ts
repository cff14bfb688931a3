import { SalesforceQueryError } from './query-schema';

/** Which language a text is written in: decides the syntax error code and how columns are counted. */
export type QueryDialect = 'soql' | 'sosl';

/**
 * The text being parsed, able to build Salesforce-shaped errors that point into it.
 *
 * Salesforce prefixes most errors with the offending line, a caret and `ERROR at Row:R:Column:C`. SOQL counts
 * columns from 1 (recorded: `SELECT Bacon__c …` → Column:8), SOSL from 0 (two recorded answers:
 * `FIND {John|…}` → Column:10 for the `|` at index 10); in both the caret sits under character `C`.
 * Texts without a visible source (the clauses of a parameterized search) get the bare message.
 */
export class QuerySource {
  constructor(
    readonly text: string,
    readonly dialect: QueryDialect,
    private readonly showPosition = true,
  ) {}

  /** A syntax error (MALFORMED_QUERY or MALFORMED_SEARCH). */
  malformed(offset: number, message: string): SalesforceQueryError {
    const code = this.dialect === 'soql' ? 'MALFORMED_QUERY' : 'MALFORMED_SEARCH';
    return new SalesforceQueryError(code, this.withPosition(offset, message));
  }

  unknownColumn(offset: number, column: string, objectName: string): SalesforceQueryError {
    return new SalesforceQueryError(
      'INVALID_FIELD',
      this.withPosition(
        offset,
        `No such column '${column}' on entity '${objectName}'. If you are attempting to use a custom field, be sure ` +
          `to append the '__c' after the custom field name. Please reference your WSDL or the describe call for ` +
          `the appropriate names.`,
      ),
    );
  }

  unknownRelationship(offset: number, relationship: string): SalesforceQueryError {
    return new SalesforceQueryError(
      'INVALID_FIELD',
      this.withPosition(
        offset,
        `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom ` +
          `relationship, be sure to append the '__r' after the custom relationship name. Please reference your ` +
          `WSDL or the describe call for the appropriate names.`,
      ),
    );
  }

  unknownObject(offset: number, objectName: string): SalesforceQueryError {
    return new SalesforceQueryError(
      'INVALID_TYPE',
      this.withPosition(
        offset,
        `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to ` +
          `append the '__c' after the entity name. Please reference your WSDL or the describe call for the ` +
          `appropriate names.`,
      ),
    );
  }

  /** `\n<line>\n<caret>\nERROR at Row:R:Column:C\n<message>`, or just the message when positions are hidden. */
  withPosition(offset: number, message: string): string {
    if (!this.showPosition) return message;
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    const lineEnd = this.text.indexOf('\n', offset);
    const line = this.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    const row = countNewlines(this.text, lineStart) + 1;
    const column = offset - lineStart + (this.dialect === 'soql' ? 1 : 0);
    const caret = ' '.repeat(Math.max(column - 1, 0)) + '^';
    return `\n${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${message}`;
  }

  /** Zero-based column of an offset on its line (for ANTLR-style `line 1:N` messages). */
  lineAndColumn(offset: number): string {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    return `line ${countNewlines(this.text, lineStart) + 1}:${offset - lineStart}`;
  }
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

import { BoundedCache } from './bounded-cache';
import { decodeStringLiteral, LIKE_ANY_CHAR, LIKE_ANY_RUN, Token, tokenize } from './lexer';
import { QuerySource } from './query-source';
import { SalesforceQueryError } from './query-schema';
import {
  ComparisonOperator,
  Condition,
  FieldPath,
  Literal,
  ObjectRef,
  OrderItem,
  RelativeDateName,
  Selection,
  SoqlQuery,
} from './soql-ast';

/** Words that end a field list or expression, so they can never be read as a field or object name. */
const RESERVED_WORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'INCLUDES',
  'EXCLUDES',
  'ORDER',
  'BY',
  'GROUP',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'WITH',
  'USING',
  'FOR',
  'NULL',
  'TRUE',
  'FALSE',
  'ASC',
  'DESC',
  'NULLS',
]);

const COMPARISON_OPERATORS: Record<string, ComparisonOperator> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

const FIXED_RELATIVE_DATES = new Set<RelativeDateName>(['TODAY', 'YESTERDAY', 'TOMORROW']);
const COUNTED_RELATIVE_DATES = new Set<RelativeDateName>(['LAST_N_DAYS', 'NEXT_N_DAYS']);

export const EMPTY_QUERY_MESSAGE = 'A query string has to be specified';

const parsedQueries = new BoundedCache<SoqlQuery>(500);

/** Parses a SOQL statement (cached by text: the result is immutable). Throws MALFORMED_QUERY. */
export function parseSoql(text: string): SoqlQuery {
  let query = parsedQueries.get(text);
  if (!query) {
    query = parseSoqlUncached(text);
    parsedQueries.set(text, query);
  }
  return query;
}

function parseSoqlUncached(text: string): SoqlQuery {
  if (text.trim() === '') throw new SalesforceQueryError('MALFORMED_QUERY', EMPTY_QUERY_MESSAGE);
  const parser = ClauseParser.forText(new QuerySource(text, 'soql'));
  if (!parser.atKeyword('SELECT')) {
    // Recorded: a statement that does not even start with SELECT gets the bare message, without a caret.
    throw new SalesforceQueryError('MALFORMED_QUERY', `unexpected token: ${parser.peek().text}`);
  }
  parser.advance();
  const countOnly = parser.acceptCountFunction();
  const fields = countOnly ? [] : parser.parseFieldList();
  parser.expectKeyword('FROM');
  const object = parser.parseObjectRef();
  const query: SoqlQuery = { countOnly, fields, object, ...parser.parseFilterClauses() };
  parser.expectEnd();
  return query;
}

/**
 * A recursive-descent parser over a token list. Besides whole SOQL statements it parses the pieces SOSL and
 * parameterized search borrow: field lists, WHERE conditions, ORDER BY, LIMIT and OFFSET.
 */
export class ClauseParser {
  private position = 0;

  private constructor(
    private readonly source: QuerySource,
    private readonly tokens: Token[],
  ) {}

  static forText(source: QuerySource, start = 0): ClauseParser {
    return new ClauseParser(source, tokenize(source, start));
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)];
  }

  advance(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position++;
    return token;
  }

  atKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'identifier' && token.value.toUpperCase() === word;
  }

  acceptKeyword(word: string): boolean {
    if (!this.atKeyword(word)) return false;
    this.position++;
    return true;
  }

  expectKeyword(word: string): Token {
    if (!this.atKeyword(word)) throw this.unexpected();
    return this.advance();
  }

  atSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.value === symbol;
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.atSymbol(symbol)) return false;
    this.position++;
    return true;
  }

  expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.unexpected();
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') throw this.unexpected();
  }

  unexpected(token = this.peek()): SalesforceQueryError {
    return this.source.malformed(token.offset, `unexpected token: ${token.text}`);
  }

  /** `COUNT()` in a select list. */
  acceptCountFunction(): boolean {
    if (!this.atKeyword('COUNT') || this.peek(1).value !== '(') return false;
    this.position += 2;
    this.expectSymbol(')');
    return true;
  }

  parseFieldList(): FieldPath[] {
    const fields = [this.parseFieldPath()];
    while (this.acceptSymbol(',')) fields.push(this.parseFieldPath());
    return fields;
  }

  parseFieldPath(): FieldPath {
    const first = this.expectName();
    const names = [first.value];
    while (this.acceptSymbol('.')) names.push(this.expectName().value);
    return { names, offset: first.offset };
  }

  parseObjectRef(): ObjectRef {
    const token = this.expectName();
    return { name: token.value, offset: token.offset };
  }

  /** The optional `WHERE … ORDER BY … LIMIT n OFFSET n` tail, in Salesforce's fixed order. */
  parseFilterClauses(): Pick<Selection, 'where' | 'orderBy' | 'limit' | 'offset'> {
    const where = this.acceptKeyword('WHERE') ? this.parseCondition() : undefined;
    const orderBy = this.atKeyword('ORDER') ? this.parseOrderBy() : [];
    const limit = this.acceptKeyword('LIMIT') ? this.parseNonNegativeInteger() : undefined;
    const offset = this.acceptKeyword('OFFSET') ? this.parseNonNegativeInteger() : undefined;
    return { where, orderBy, limit, offset };
  }

  parseNonNegativeInteger(): number {
    const token = this.peek();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected();
    this.advance();
    return Number(token.text);
  }

  /**
   * `a AND b AND c` or `a OR b OR c`; Salesforce requires parentheses whenever AND and OR are mixed, so a
   * second kind of operator at the same level is a syntax error rather than a precedence question.
   */
  parseCondition(): Condition {
    const first = this.parseUnaryCondition();
    const joiner = this.atKeyword('AND') ? 'AND' : this.atKeyword('OR') ? 'OR' : undefined;
    if (!joiner) return first;
    const operands = [first];
    while (this.acceptKeyword(joiner)) operands.push(this.parseUnaryCondition());
    if (this.atKeyword(joiner === 'AND' ? 'OR' : 'AND')) throw this.unexpected();
    return { kind: joiner === 'AND' ? 'and' : 'or', operands };
  }

  private parseUnaryCondition(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.parseUnaryCondition() };
    if (this.acceptSymbol('(')) {
      const inner = this.parseCondition();
      this.expectSymbol(')');
      return inner;
    }
    return this.parseFieldExpression();
  }

  private parseFieldExpression(): Condition {
    const field = this.parseFieldPath();
    const token = this.peek();
    const operator = token.kind === 'symbol' ? COMPARISON_OPERATORS[token.value] : undefined;
    if (operator) {
      this.advance();
      return { kind: 'compare', field, operator, value: this.parseLiteral() };
    }
    if (this.acceptKeyword('LIKE')) return { kind: 'like', field, pattern: this.parseLikePattern() };
    const negated = this.acceptKeyword('NOT');
    this.expectKeyword('IN');
    return { kind: 'in', field, negated, values: this.parseLiteralList() };
  }

  private parseLiteralList(): Literal[] {
    this.expectSymbol('(');
    const values = [this.parseLiteral()];
    while (this.acceptSymbol(',')) values.push(this.parseLiteral());
    this.expectSymbol(')');
    return values;
  }

  private parseLiteral(): Literal {
    const token = this.advance();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value };
      case 'number':
        return { kind: 'number', value: Number(token.text) };
      case 'date':
        return { kind: 'date', value: token.text };
      case 'datetime':
        return { kind: 'datetime', epochMs: parseDateTime(token.text) };
      case 'identifier':
        return this.parseWordLiteral(token);
      case 'symbol':
      case 'eof':
        throw this.unexpected(token);
    }
  }

  private parseWordLiteral(token: Token): Literal {
    const word = token.value.toUpperCase();
    if (word === 'NULL') return { kind: 'null' };
    if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
    if (FIXED_RELATIVE_DATES.has(word as RelativeDateName)) {
      return { kind: 'relativeDate', name: word as RelativeDateName, days: 1 };
    }
    if (COUNTED_RELATIVE_DATES.has(word as RelativeDateName)) {
      this.expectSymbol(':');
      return { kind: 'relativeDate', name: word as RelativeDateName, days: this.parseNonNegativeInteger() };
    }
    throw this.unexpected(token);
  }

  /** LIKE patterns: `%` any run, `_` one character, `\%`/`\_` literal; matching ignores case. */
  private parseLikePattern(): RegExp {
    const token = this.advance();
    if (token.kind !== 'string') throw this.unexpected(token);
    const { value } = decodeStringLiteral(token.text.slice(1, -1), 'like');
    let pattern = '';
    for (const char of value) {
      if (char === LIKE_ANY_RUN) pattern += '.*';
      else if (char === LIKE_ANY_CHAR) pattern += '.';
      else pattern += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${pattern}$`, 'is');
  }

  /** A field, object or relationship name: any identifier that is not a SOQL keyword. */
  private expectName(): Token {
    const token = this.peek();
    if (token.kind !== 'identifier' || RESERVED_WORDS.has(token.value.toUpperCase())) throw this.unexpected();
    return this.advance();
  }

  private parseOrderBy(): OrderItem[] {
    this.expectKeyword('ORDER');
    this.expectKeyword('BY');
    const items = [this.parseOrderItem()];
    while (this.acceptSymbol(',')) items.push(this.parseOrderItem());
    return items;
  }

  /** Salesforce's defaults: ascending, nulls first; DESC flips the nulls default to last. */
  private parseOrderItem(): OrderItem {
    const field = this.parseFieldPath();
    const descending = this.acceptKeyword('DESC');
    if (!descending) this.acceptKeyword('ASC');
    let nullsLast = descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else if (this.acceptKeyword('FIRST')) nullsLast = false;
      else throw this.unexpected();
    }
    return { field, descending, nullsLast };
  }
}

/** Datetime literals may write the zone as `-0800`; `Date.parse` wants `-08:00`. */
function parseDateTime(text: string): number {
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

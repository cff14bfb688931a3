import { QuerySource } from './query-source';

export type TokenKind = 'identifier' | 'string' | 'number' | 'date' | 'datetime' | 'symbol' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token exactly as written (strings keep their quotes). */
  text: string;
  /** Zero-based position in the source text. */
  offset: number;
  /** Strings: the decoded value (outside LIKE, `\%` and `\_` keep their backslash). Others: `text`. */
  value: string;
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
/** `2026-05-14`, optionally followed by a time and a zone (`Z`, `+01:00`, `-0800`). */
const DATE_OR_DATETIME = /\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2}))?/y;
const NUMBER = /-?\d+(\.\d+)?/y;
const SYMBOLS = ['<=', '>=', '!=', '<>', '(', ')', ',', '.', '=', '<', '>', ':'];
const WHITESPACE = /\s/;

/** Splits query text into tokens, ending with an `eof` token. `start` lets SOSL lex what follows its `{term}`. */
export function tokenize(source: QuerySource, start = 0): Token[] {
  const { text } = source;
  const tokens: Token[] = [];
  let position = start;
  while (position < text.length) {
    if (WHITESPACE.test(text[position])) {
      position++;
      continue;
    }
    const token = readToken(source, position);
    tokens.push(token);
    position += token.text.length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', offset: text.length, value: '' });
  return tokens;
}

function readToken(source: QuerySource, offset: number): Token {
  const char = source.text[offset];
  if (char === "'") return readString(source, offset);
  const match =
    matchAt(IDENTIFIER, 'identifier', source.text, offset) ??
    matchDateAt(source.text, offset) ??
    matchAt(NUMBER, 'number', source.text, offset);
  if (match) return match;
  const symbol = SYMBOLS.find((candidate) => source.text.startsWith(candidate, offset));
  if (symbol) return { kind: 'symbol', text: symbol, offset, value: symbol };
  throw source.malformed(
    offset,
    `${source.lineAndColumn(offset)} no viable alternative at character '${char}'`,
  );
}

function matchAt(pattern: RegExp, kind: TokenKind, text: string, offset: number): Token | undefined {
  pattern.lastIndex = offset;
  const found = pattern.exec(text);
  return found ? { kind, text: found[0], offset, value: found[0] } : undefined;
}

function matchDateAt(text: string, offset: number): Token | undefined {
  const token = matchAt(DATE_OR_DATETIME, 'date', text, offset);
  if (token && token.text.length > 10) token.kind = 'datetime';
  return token;
}

function readString(source: QuerySource, offset: number): Token {
  const { text } = source;
  let position = offset + 1;
  while (position < text.length && text[position] !== "'") {
    position += text[position] === '\\' ? 2 : 1;
  }
  if (position >= text.length) {
    throw source.malformed(
      text.length,
      `${source.lineAndColumn(text.length)} mismatched character '<EOF>' expecting '''`,
    );
  }
  const raw = text.slice(offset + 1, position);
  const decoded = decodeStringLiteral(raw, 'plain');
  if (decoded.illegalSequence !== undefined) {
    throw source.malformed(
      offset,
      `Invalid string literal '${raw}'. Illegal character sequence '${decoded.illegalSequence}' in string literal.`,
    );
  }
  return { kind: 'string', text: text.slice(offset, position + 1), offset, value: decoded.value };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** What a decoded LIKE pattern marks as wildcards: these code points never occur in real text. */
export const LIKE_ANY_RUN = '\uE000';
export const LIKE_ANY_CHAR = '\uE001';

/**
 * Decodes the inside of a quoted SOQL string (Salesforce's "Quoted String Escape Sequences"). In `like` mode
 * unescaped `%`/`_` become wildcard markers and `\%`/`\_` literal characters; elsewhere `\%`/`\_` stay as
 * written, which is how Salesforce treats them outside LIKE.
 */
export function decodeStringLiteral(
  raw: string,
  mode: 'plain' | 'like',
): { value: string; illegalSequence?: string } {
  let value = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char !== '\\') {
      value +=
        mode === 'like' && char === '%'
          ? LIKE_ANY_RUN
          : mode === 'like' && char === '_'
            ? LIKE_ANY_CHAR
            : char;
      continue;
    }
    const next = raw[i + 1] ?? '';
    i++;
    const simple = SIMPLE_ESCAPES[next.toLowerCase()];
    if (simple !== undefined) {
      value += simple;
    } else if (next === '%' || next === '_') {
      value += mode === 'like' ? next : `\\${next}`;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) {
      value += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      return { value, illegalSequence: `\\${next}` };
    }
  }
  return { value };
}

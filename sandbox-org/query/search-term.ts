import { QuerySource } from './query-source';
import { SalesforceQueryError } from './query-schema';

/**
 * The text between SOSL's braces (or a parameterized search's `q`), ready to match field values.
 * Deliberately simple: every word or quoted phrase must occur somewhere in the record (an AND of words);
 * a word matches whole tokens of a value, with `*` (any run) and `?` (one character) as wildcards.
 */
export interface SearchTerm {
  /** Each word is a run of tokens that must appear consecutively in one field value. */
  words: TokenMatcher[][];
  /** Every digit of the term, for matching phone fields on digits. */
  digits: string;
  /** The term looks like a phone number, so ALL/SIDEBAR searches also compare phone fields on digits. */
  mostlyDigits: boolean;
}

type TokenMatcher = (token: string) => boolean;

export const TERM_TOO_SHORT_MESSAGE = 'search term must be longer than one character';

/** Characters SOSL rejects unescaped inside braces (wildcards, quotes and grouping are allowed). */
const UNESCAPED_FORBIDDEN = new Set(['{', '|', '!', '&', '^', '~', '[', ']', ':']);
const ANY_RUN = '\uE000';
const ANY_CHAR = '\uE001';
/** Words are made of letters and digits; everything else (spaces, punctuation, `@`, `-`) separates tokens. */
const TOKEN_SEPARATORS = /[^\p{L}\p{N}\uE000\uE001]+/u;

/**
 * Reads a search term. `source`/`offset` locate it in a SOSL statement, where unescaped reserved characters
 * are syntax errors; without them (parameterized search) such characters simply separate words.
 */
export function parseSearchTerm(raw: string, location?: { source: QuerySource; offset: number }): SearchTerm {
  const words: string[] = [];
  let word = '';
  let inPhrase = false;
  const endWord = () => {
    if (word !== '' && word !== 'AND') words.push(word);
    word = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char === '\\') {
      word += raw[++i] ?? '';
    } else if (char === '"') {
      endWord();
      inPhrase = !inPhrase;
    } else if (/\s/.test(char) && !inPhrase) {
      endWord();
    } else if (location && UNESCAPED_FORBIDDEN.has(char)) {
      const offset = location.offset + i;
      const position = location.source.lineAndColumn(offset);
      throw location.source.malformed(offset, `${position} mismatched character '${char}' expecting '}'`);
    } else {
      word += char === '*' ? ANY_RUN : char === '?' ? ANY_CHAR : char;
    }
  }
  endWord();
  const matchers = words
    .map((text) => tokenize(text).map(tokenMatcher))
    .filter((tokens) => tokens.length > 0);
  const meaningful = raw.replace(/[^\p{L}\p{N}]/gu, '');
  if (meaningful.length < 2) throw new SalesforceQueryError('MALFORMED_SEARCH', TERM_TOO_SHORT_MESSAGE);
  const digits = raw.replace(/\D/g, '');
  return { words: matchers, digits, mostlyDigits: digits.length * 2 > meaningful.length };
}

/** Lower-cased letter/digit runs of a value (`"Acme, Inc."` → `["acme", "inc"]`). */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(TOKEN_SEPARATORS)
    .filter((token) => token !== '');
}

function tokenMatcher(token: string): TokenMatcher {
  if (!token.includes(ANY_RUN) && !token.includes(ANY_CHAR)) return (candidate) => candidate === token;
  const pattern = [...token]
    .map((char) =>
      char === ANY_RUN ? '.*' : char === ANY_CHAR ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const regex = new RegExp(`^${pattern}$`, 'u');
  return (candidate) => regex.test(candidate);
}

/** True when the word's tokens occur one after another in the value's tokens. */
export function wordMatches(word: TokenMatcher[], valueTokens: string[]): boolean {
  for (let start = 0; start + word.length <= valueTokens.length; start++) {
    if (word.every((matches, i) => matches(valueTokens[start + i]))) return true;
  }
  return false;
}

/** The shorter of two digit strings must be at least this long to match as the tail of the longer one. */
const MIN_SUFFIX_DIGITS = 7;

/**
 * Phone search compares digits only, so `4155551212` finds `+1 (415) 555-1212`, `415.555.1212` and
 * `14155551212`: equal digit strings, or one ending with the other when the shorter has 7+ digits.
 */
export function phoneDigitsMatch(termDigits: string, value: unknown): boolean {
  if (termDigits === '' || (typeof value !== 'string' && typeof value !== 'number')) return false;
  const valueDigits = String(value).replace(/\D/g, '');
  if (valueDigits === '') return false;
  if (valueDigits === termDigits) return true;
  const [shorter, longer] =
    valueDigits.length < termDigits.length ? [valueDigits, termDigits] : [termDigits, valueDigits];
  return shorter.length >= MIN_SUFFIX_DIGITS && longer.endsWith(shorter);
}

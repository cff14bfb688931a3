import type { Problem } from '../errors/domain-error';

/**
 * Request JSON deeper than this is refused: no DTO here nests more than a few levels, and unbounded nesting
 * would otherwise meet recursive code (class-transformer, JSON columns) further in.
 */
export const MAX_INPUT_DEPTH = 32;

const NUL = '\u0000';
// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored or sent on (Postgres refuses both in text and JSON), or undefined when it can. */
export function unsafeTextReason(text: string): string | undefined {
  if (text.includes(NUL)) return 'contains a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/**
 * The first string (value or object key) in `input` that is not storable text, with its path (`caller.company`,
 * `script[0].intent`, `callId`), or a value nested deeper than MAX_INPUT_DEPTH. Walks iteratively, so hostile
 * nesting cannot exhaust the stack here.
 */
export function findUnsafeText(input: unknown, rootPath = ''): Problem | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value: input, path: rootPath, depth: 0 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      const reason = unsafeTextReason(value);
      if (reason)
        return { field: path || 'body', code: 'TEXT_INVALID', message: `${path || 'body'} ${reason}` };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return {
        field: path,
        code: 'NESTING_TOO_DEEP',
        message: `${path} is nested deeper than ${MAX_INPUT_DEPTH} levels`,
      };
    }
    const entries = Array.isArray(value)
      ? value.map((item, index) => [`${path}[${index}]`, item] as const)
      : Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, item] as const);
    for (const [childPath, item] of entries) {
      const keyReason = Array.isArray(value) ? undefined : unsafeTextReason(childPath);
      if (keyReason) {
        return {
          field: path || 'body',
          code: 'TEXT_INVALID',
          message: `a key of ${path || 'body'} ${keyReason}`,
        };
      }
      pending.push({ value: item, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}

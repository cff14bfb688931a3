import type { ValueType } from './type-compatibility';

/**
 * Value expressions (api.md): `$now`, `$today`, `$value`, `$payload.<path>`, `$call.<field>`,
 * `$caller.<field>`, or a JSON literal. A string that starts with `$` is an expression; `$$` at the start
 * escapes a literal dollar (`"$$5 off"` is the text `$5 off`).
 */
export type ValueExpression =
  | { kind: 'now' }
  | { kind: 'today' }
  | { kind: 'value' }
  | { kind: 'payload'; path: string[] }
  | { kind: 'call'; field: CallField }
  | { kind: 'caller'; field: CallerField }
  | { kind: 'literal'; value: LiteralValue };

export type LiteralValue = string | number | boolean | null | string[];

/** What the write path knows about the caller (POST /v1/calls/{callId}/intents `caller`). */
export const CALLER_FIELDS = {
  phone: 'phone',
  firstName: 'string',
  lastName: 'string',
  email: 'email',
  company: 'string',
} as const satisfies Record<string, ValueType>;
export type CallerField = keyof typeof CALLER_FIELDS;

/** What the write path knows about the call (its id, and what the completion reports). */
export const CALL_FIELDS = {
  id: 'string',
  summary: 'text',
  durationSeconds: 'integer',
  direction: 'string',
  disposition: 'string',
} as const satisfies Record<string, ValueType>;
export type CallField = keyof typeof CALL_FIELDS;

const PATH_SEGMENT = /^[A-Za-z0-9_-]+$/;

export class ValueExpressionError extends Error {}

export function parseValueExpression(raw: unknown): ValueExpression {
  if (typeof raw === 'string' && raw.startsWith('$') && !raw.startsWith('$$')) return parseDollar(raw);
  if (typeof raw === 'string') return { kind: 'literal', value: raw.startsWith('$$') ? raw.slice(1) : raw };
  if (raw === null || typeof raw === 'boolean') return { kind: 'literal', value: raw };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new ValueExpressionError('a number literal must be finite');
    return { kind: 'literal', value: raw };
  }
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) {
    return { kind: 'literal', value: raw };
  }
  throw new ValueExpressionError(
    'a value must be an expression ($now, $today, $value, $payload.<path>, $call.<field>, $caller.<field>) or a JSON string, number, boolean, null or list of strings',
  );
}

function parseDollar(raw: string): ValueExpression {
  if (raw === '$now') return { kind: 'now' };
  if (raw === '$today') return { kind: 'today' };
  if (raw === '$value') return { kind: 'value' };
  const [head, ...rest] = raw.split('.');
  if (head === '$payload' && rest.length > 0 && rest.every((segment) => PATH_SEGMENT.test(segment))) {
    return { kind: 'payload', path: rest };
  }
  if (head === '$call' && rest.length === 1 && Object.hasOwn(CALL_FIELDS, rest[0])) {
    return { kind: 'call', field: rest[0] as CallField };
  }
  if (head === '$caller' && rest.length === 1 && Object.hasOwn(CALLER_FIELDS, rest[0])) {
    return { kind: 'caller', field: rest[0] as CallerField };
  }
  if (head === '$call') {
    throw new ValueExpressionError(
      `unknown call field in "${raw}"; known: ${Object.keys(CALL_FIELDS).join(', ')}`,
    );
  }
  if (head === '$caller') {
    throw new ValueExpressionError(
      `unknown caller field in "${raw}"; known: ${Object.keys(CALLER_FIELDS).join(', ')}`,
    );
  }
  throw new ValueExpressionError(
    `unknown value expression "${raw}" (write "$$" at the start for a text that begins with a dollar)`,
  );
}

/** The source text of an expression, as stored and exported. */
export function formatValueExpression(expression: ValueExpression): LiteralValue {
  switch (expression.kind) {
    case 'now':
    case 'today':
    case 'value':
      return `$${expression.kind}`;
    case 'payload':
      return `$payload.${expression.path.join('.')}`;
    case 'call':
      return `$call.${expression.field}`;
    case 'caller':
      return `$caller.${expression.field}`;
    case 'literal':
      return typeof expression.value === 'string' && expression.value.startsWith('$')
        ? `$${expression.value}`
        : expression.value;
  }
}

/**
 * The value types an expression can produce, for the compatibility table; `'any'` when only the call can
 * tell (a payload path), `'null'` for the null literal.
 */
export function expressionValueTypes(expression: ValueExpression, valueType: ValueType): ValueType[] | 'any' {
  switch (expression.kind) {
    case 'now':
      return ['datetime'];
    case 'today':
      return ['date'];
    case 'value':
      return [valueType];
    case 'payload':
      return 'any';
    case 'call':
      return [CALL_FIELDS[expression.field]];
    case 'caller':
      return [CALLER_FIELDS[expression.field]];
    case 'literal':
      return [];
  }
}

export interface CallerContext {
  phone?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  company?: string;
}

export interface CallFacts {
  id: string;
  summary?: string;
  durationSeconds?: number;
  direction?: string;
  disposition?: string;
}

export interface ValueScope {
  now: Date;
  value?: unknown;
  payload?: unknown;
  call: CallFacts;
  caller: CallerContext;
}

/** `{found: false}` when the expression names something the call did not provide (a payload path, a caller email). */
export type ResolvedValue = { found: true; value: unknown } | { found: false };

export function resolveValueExpression(expression: ValueExpression, scope: ValueScope): ResolvedValue {
  switch (expression.kind) {
    case 'now':
      return { found: true, value: scope.now.toISOString() };
    case 'today':
      return { found: true, value: scope.now.toISOString().slice(0, 10) };
    case 'value':
      return scope.value === undefined ? { found: false } : { found: true, value: scope.value };
    case 'payload':
      return lookUpPath(scope.payload, expression.path);
    case 'call':
      return present(scope.call[expression.field]);
    case 'caller':
      return present(scope.caller[expression.field]);
    case 'literal':
      return { found: true, value: expression.value };
  }
}

function present(value: unknown): ResolvedValue {
  return value === undefined || value === null || value === '' ? { found: false } : { found: true, value };
}

function lookUpPath(root: unknown, path: string[]): ResolvedValue {
  let current: unknown = root;
  for (const segment of path) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (typeof current === 'object' && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else return { found: false };
  }
  return current === undefined ? { found: false } : { found: true, value: current };
}

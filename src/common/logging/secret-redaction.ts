/** Field names whose values are secrets wherever they appear in a log line (matched ignoring case). */
export const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'key',
  'apiKey',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'privateKeyPem',
  'assertion',
  'code_verifier',
];

export const REDACTED = '[redacted]';

/**
 * How deep secrets are looked for: the top level of a log line is depth 0. pino's wildcard paths this replaces
 * (`field`, `*.field`, `*.*.field`) reached depth 2; deeper than this, a value is logged as it is.
 */
export const MAX_REDACTION_DEPTH = 8;

const SECRET_NAMES = new Set(SECRET_FIELDS.map((field) => field.toLowerCase()));

/**
 * `value` with the value of every secret field replaced by '[redacted]', in objects and arrays down to
 * MAX_REDACTION_DEPTH. Never changes `value`: the objects on the way to a secret are copied, everything else is
 * shared, so a line without secrets (nearly all of them) costs a walk over its keys and no allocation.
 * An object with `toJSON` (a Date, a Buffer…) is read through it, as the JSON line will be.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_REDACTION_DEPTH) return value;
  if (Array.isArray(value)) return redactArray(value, depth);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const json: unknown = (toJSON as () => unknown).call(value);
    const redacted = redactSecrets(json, depth);
    return redacted === json ? value : redacted;
  }
  return redactObject(value as Record<string, unknown>, depth, NO_KEYS);
}

/**
 * For pino's formatters: the same, but the keys pino serializes (req, res, err) are left alone, because
 * redacting them is their serializer's job (see `redactingSerializer`) and their raw values (a socket, a
 * request) are not for walking.
 */
export function redactLogObject(
  object: Record<string, unknown>,
  serializedKeys: ReadonlySet<string>,
): Record<string, unknown> {
  return redactObject(object, 0, serializedKeys);
}

/** A pino serializer whose output is redacted like the rest of the line (it sits at depth 1). */
export function redactingSerializer<T>(serializer: (value: T) => unknown): (value: T) => unknown {
  return (value) => redactSecrets(serializer(value), 1);
}

const NO_KEYS: ReadonlySet<string> = new Set();

function redactObject(
  object: Record<string, unknown>,
  depth: number,
  skippedKeys: ReadonlySet<string>,
): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    if (skippedKeys.has(key)) continue;
    const original = object[key];
    const redacted =
      SECRET_NAMES.has(key.toLowerCase()) && original !== undefined
        ? REDACTED
        : redactSecrets(original, depth + 1);
    if (redacted !== original) {
      copy ??= { ...object };
      copy[key] = redacted;
    }
  }
  return copy ?? object;
}

function redactArray(array: unknown[], depth: number): unknown[] {
  let copy: unknown[] | undefined;
  for (let index = 0; index < array.length; index++) {
    const redacted = redactSecrets(array[index], depth + 1);
    if (redacted !== array[index]) {
      copy ??= [...array];
      copy[index] = redacted;
    }
  }
  return copy ?? array;
}

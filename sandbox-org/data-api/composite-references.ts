/**
 * `@{referenceId.path}` resolution in composite subrequests (§5.1): `@{ref.id}`, `@{ref.records[0].Id}`,
 * `@{ref.a.b}`, in the url and anywhere in the body.
 */

const REFERENCE = /@\{([^}]*)\}/g;

/** A reference that names no earlier successful result, or a path with no value there. */
export class UnresolvedReference extends Error {
  constructor(
    readonly expression: string,
    readonly referenceId: string,
  ) {
    super(
      `Invalid reference specified. No value for ${expression} found in ${referenceId}. Provided referenceId ('${expression}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
    );
    this.name = 'UnresolvedReference';
  }
}

function lookup(expression: string, results: ReadonlyMap<string, unknown>): unknown {
  const steps = expression.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  const [referenceId, ...path] = steps;
  if (!results.has(referenceId)) throw new UnresolvedReference(expression, referenceId);
  let value: unknown = results.get(referenceId);
  for (const step of path) {
    if (value === null || typeof value !== 'object' || !(step in value)) {
      throw new UnresolvedReference(expression, referenceId);
    }
    value = (value as Record<string, unknown>)[step];
  }
  // v52+: a reference to a null field resolves to null (§5.1)
  return value;
}

function resolveString(text: string, results: ReadonlyMap<string, unknown>): unknown {
  const whole = /^@\{([^}]*)\}$/.exec(text);
  if (whole) return lookup(whole[1], results);
  return text.replace(REFERENCE, (_, expression: string) => String(lookup(expression, results)));
}

/** Replaces every reference in a JSON value; a string that is exactly one reference takes the value's type. */
export function resolveReferences(value: unknown, results: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === 'string') return value.includes('@{') ? resolveString(value, results) : value;
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, results));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)]));
  }
  return value;
}

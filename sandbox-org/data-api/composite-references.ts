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

/** Earlier subrequests' bodies by referenceId; `nullResolves` is the v52+ rule for references to null. */
export interface ReferenceResults {
  bodies: ReadonlyMap<string, unknown>;
  nullResolves: boolean;
}

function lookup(expression: string, results: ReferenceResults): unknown {
  const steps = expression.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  const [referenceId, ...path] = steps;
  if (!results.bodies.has(referenceId)) throw new UnresolvedReference(expression, referenceId);
  let value: unknown = results.bodies.get(referenceId);
  for (const step of path) {
    if (value === null || typeof value !== 'object' || !(step in value)) {
      throw new UnresolvedReference(expression, referenceId);
    }
    value = (value as Record<string, unknown>)[step];
  }
  // A reference to a null field resolves to null from v52, and fails before (§5.1).
  if (value === null && !results.nullResolves) throw new UnresolvedReference(expression, referenceId);
  return value;
}

function resolveString(text: string, results: ReferenceResults): unknown {
  const whole = /^@\{([^}]*)\}$/.exec(text);
  if (whole) return lookup(whole[1], results);
  return text.replace(REFERENCE, (_, expression: string) => String(lookup(expression, results)));
}

/** Replaces every reference in a JSON value; a string that is exactly one reference takes the value's type. */
export function resolveReferences(value: unknown, results: ReferenceResults): unknown {
  if (typeof value === 'string') return value.includes('@{') ? resolveString(value, results) : value;
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, results));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)]));
  }
  return value;
}

/** An environment variable read as a number (already validated), or `fallback` when it is unset or empty. */
export const numberOr = (value: string | undefined, fallback: number): number =>
  value ? Number(value) : fallback;

/** `Server-Timing: sf;dur=12.34` (set by the agent routes) → seconds spent waiting for Salesforce, else 0. */
export function salesforceSeconds(serverTiming: unknown): number {
  const match = typeof serverTiming === 'string' ? /(?:^|,)\s*sf;dur=([\d.]+)/.exec(serverTiming) : null;
  return match ? Number(match[1]) / 1000 : 0;
}

/** API versions (§2): 31.0 … 67.0 are served; 21.0–30.0 are retired (410); anything else is 404. */

export const OLDEST_VERSION = 31;
export const NEWEST_VERSION = 67;
const OLDEST_RETIRED = 21;

const SEASONS = ['Summer', 'Winter', 'Spring'] as const;

/** v31.0 = Summer '14, then Winter/Spring/Summer releases in turn. */
function releaseLabel(major: number): string {
  const step = major - OLDEST_VERSION;
  const season = SEASONS[step % 3];
  const year = 14 + Math.floor(step / 3) + (season === 'Summer' ? 0 : 1);
  return `${season} '${year}`;
}

export const VERSIONS_LIST = Array.from({ length: NEWEST_VERSION - OLDEST_VERSION + 1 }, (_, i) => {
  const major = OLDEST_VERSION + i;
  return { label: releaseLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` };
});

export type VersionCheck =
  { kind: 'served'; version: string; major: number } | { kind: 'retired' } | { kind: 'unknown' };

export function checkVersion(segment: string): VersionCheck {
  const match = /^v(\d+)\.0$/.exec(segment);
  if (!match) return { kind: 'unknown' };
  const major = Number(match[1]);
  if (major >= OLDEST_VERSION && major <= NEWEST_VERSION)
    return { kind: 'served', version: `${major}.0`, major };
  if (major >= OLDEST_RETIRED && major < OLDEST_VERSION) return { kind: 'retired' };
  return { kind: 'unknown' };
}

import { readFileSync } from 'node:fs';
import { round } from './stats';

/** The parts of a V8 `.cpuprofile` read here. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by function (name, file and line), largest first. */
  functions: SelfTime[];
  /** Self time by where the code lives: a package under node_modules, node itself, or our src/ modules. */
  places: SelfTime[];
}

/** `…/node_modules/@scope/pkg/…` → `@scope/pkg`; `…/dist/src/modules/writes/…` → `src/modules/writes`. */
function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = /\/(src\/(?:modules\/[^/]+|[^/]+))/.exec(url);
  return ours ? ours[1] : url;
}

function ranked(totals: Map<string, number>, totalMs: number, limit: number): SelfTime[] {
  return [...totals.entries()]
    .sort(([, a], [, b]) => b - a)
    .slice(0, limit)
    .map(([name, ms]) => ({ name, ms: round(ms, 1), share: round((100 * ms) / totalMs, 1) }));
}

/** Self time per function and per place, from the samples of one profile. */
export function summariseCpuProfile(file: string, limit = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((nodeId, i) => {
    const frame = nodes.get(nodeId);
    if (!frame || frame.functionName === '(idle)') return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const file = frame.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/');
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const place = placeOf(frame.url, frame.functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + ms);
  });
  return {
    totalMs: round(totalMs, 1),
    functions: ranked(byFunction, totalMs, limit),
    places: ranked(byPlace, totalMs, limit),
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import { requestJson } from './http';

/** Requests per path served by one sandbox instance since it started (`GET /__sandbox/requests`). */
export type PathCounts = Record<string, number>;

export async function requestCounts(instanceUrl: string): Promise<PathCounts> {
  const { body } = await requestJson('GET', `${instanceUrl}/__sandbox/requests`, { expect: 200 });
  return (body as { countsByPath: PathCounts }).countsByPath;
}

/** What was served between two snapshots, by path (paths with no new request left out). */
export function countsSince(before: PathCounts, after: PathCounts): PathCounts {
  const delta: PathCounts = {};
  for (const [path, count] of Object.entries(after)) {
    const added = count - (before[path] ?? 0);
    if (added > 0) delta[path] = added;
  }
  return delta;
}

export const totalOf = (counts: PathCounts): number =>
  Object.values(counts).reduce((sum, count) => sum + count, 0);

/** Counts composite requests (`/services/data/vNN.0/composite`, not the sObject Collections paths). */
export const compositeCount = (counts: PathCounts): number =>
  Object.entries(counts)
    .filter(([path]) => /\/composite$/.test(path))
    .reduce((sum, [, count]) => sum + count, 0);

export async function recordsOf(
  instanceUrl: string,
  object: string,
): Promise<Array<Record<string, unknown>>> {
  const { body } = await requestJson('GET', `${instanceUrl}/__sandbox/records/${object}`, { expect: 200 });
  return body as Array<Record<string, unknown>>;
}

/**
 * Waits until the instance has served no new request for `quietMs` (the worker has drained the deferred
 * writes), at most `timeoutMs`. Returns whether it became quiet.
 */
export async function waitForQuiet(
  instanceUrl: string,
  quietMs: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let last = totalOf(await requestCounts(instanceUrl));
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(250);
    const now = totalOf(await requestCounts(instanceUrl));
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      return true;
    }
  }
  return false;
}

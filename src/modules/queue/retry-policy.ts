import type { JobOptions } from 'bull';
import type { FailureClass } from '../salesforce/client/salesforce-error';

/**
 * What a failed Salesforce write does next, in one place (product.md §5, architecture.md): the schedule of
 * retries and the table from error class to action. The write jobs use it; dead letters and replay build on it.
 */

/**
 * The guide's "five retries with backoff 200 ms → 1 s → 5 s → 30 s → 5 min, then dead letter": six attempts in
 * all. Retry n waits the n-th delay after the attempt before it; a critical write's in-call try is attempt 1.
 * RETRY_SCHEDULE_MS overrides the delays (attempts = delays + 1).
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [200, 1000, 5000, 30_000, 300_000];

/** The Bull backoff strategy every write job names (registered once in QueueModule). */
export const RETRY_BACKOFF_STRATEGY = 'aicall-retry-schedule';

/**
 * - `retry`: try again on the schedule (auth: the client refreshes an expired session by itself, then retries);
 * - `dead-letter`: stop now, the write is dead and waits for a human (replay);
 * - `defer`: the org's daily API limit: try again after DAILY_LIMIT_DEFER_MS, not on the schedule.
 */
export type RetryAction = 'retry' | 'dead-letter' | 'defer';

export const ACTION_BY_FAILURE_CLASS: Readonly<Record<FailureClass, RetryAction>> = {
  transient: 'retry',
  'rate-limited': 'retry',
  auth: 'retry',
  permanent: 'dead-letter',
};

/** Salesforce's daily limit (`REQUEST_LIMIT_EXCEEDED` "TotalRequests Limit exceeded"), and our own headroom guard. */
export const DAILY_LIMIT_ERROR_CODES: readonly string[] = ['REQUEST_LIMIT_EXCEEDED', 'API_HEADROOM_RESERVED'];

/** Non-critical (queued) writes wait while the org has used this share of its daily API requests: live calls keep the rest. */
export const API_HEADROOM_RATIO = 0.9;

/** How long a write held back by the daily limit waits before its next try. */
export const DAILY_LIMIT_DEFER_MS = 10 * 60_000;

export interface FailureFacts {
  errorClass: FailureClass;
  errorCode?: string;
  /** An admin must connect again (a revoked grant): no retry can succeed. */
  requiresReauthorization?: boolean;
}

export function retryActionFor(failure: FailureFacts): RetryAction {
  if (failure.requiresReauthorization) return 'dead-letter';
  if (failure.errorCode && DAILY_LIMIT_ERROR_CODES.includes(failure.errorCode)) return 'defer';
  return ACTION_BY_FAILURE_CLASS[failure.errorClass];
}

/** Whether a non-critical write should wait for the daily limit to reset (usage as read from Sforce-Limit-Info). */
export function holdForApiHeadroom(
  usage: { used: number; limit: number } | undefined,
  critical: boolean,
): boolean {
  if (critical || !usage || usage.limit <= 0) return false;
  return usage.used / usage.limit >= API_HEADROOM_RATIO;
}

/** Marks an error thrown from a job so the backoff strategy waits DAILY_LIMIT_DEFER_MS (a plain property). */
export const DEFERRED_FAILURE_FLAG = 'aicallDeferred';

export function markDeferred<E extends Error>(error: E): E {
  Object.assign(error, { [DEFERRED_FAILURE_FLAG]: true });
  return error;
}

function isMarkedDeferred(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<string, unknown>)[DEFERRED_FAILURE_FLAG] === true
  );
}

/**
 * Marks an error thrown from a job so the backoff strategy fails the job at once. A plain property, not a
 * class: sandboxed processors rebuild errors (stack-notes §3).
 */
export const PERMANENT_FAILURE_FLAG = 'aicallPermanent';

export function markPermanent<E extends Error>(error: E): E {
  Object.assign(error, { [PERMANENT_FAILURE_FLAG]: true });
  return error;
}

export function isMarkedPermanent(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<string, unknown>)[PERMANENT_FAILURE_FLAG] === true
  );
}

export interface RetryBackoffOptions {
  scheduleMs: number[];
}

/**
 * Bull's backoff strategy: the delay before the next attempt. `attemptsMade` is 1 at the first failure; -1 fails
 * the job now (a permanent error).
 */
export function retryBackoffStrategy(
  attemptsMade: number,
  error?: unknown,
  options?: RetryBackoffOptions | null,
): number {
  if (isMarkedPermanent(error)) return -1;
  if (isMarkedDeferred(error)) return DAILY_LIMIT_DEFER_MS;
  const schedule = options?.scheduleMs?.length ? options.scheduleMs : DEFAULT_RETRY_SCHEDULE_MS;
  return schedule[Math.min(Math.max(attemptsMade, 1), schedule.length) - 1];
}

/**
 * Attempts, backoff and first delay of a job on this schedule: the first try plus one retry per delay, less the
 * attempts the write already made outside the queue (the in-call try of a critical write), so that a write
 * never gets more than `scheduleMs.length + 1` attempts, and each retry waits its own delay.
 */
export function retryJobOptions(
  scheduleMs: readonly number[],
  attemptsBefore = 0,
): Pick<JobOptions, 'attempts' | 'backoff' | 'delay'> {
  const made = Math.min(Math.max(attemptsBefore, 0), scheduleMs.length);
  const firstDelay = made > 0 ? scheduleMs[made - 1] : 0;
  return {
    attempts: Math.max(scheduleMs.length + 1 - made, 1),
    backoff: { type: RETRY_BACKOFF_STRATEGY, options: { scheduleMs: scheduleMs.slice(made) } },
    ...(firstDelay > 0 && { delay: firstDelay }),
  };
}

/** Whether the attempt under way (0-based `attemptsMade` before it) is the job's last. */
export function isLastAttempt(attemptsMade: number, attempts: number | undefined): boolean {
  return attemptsMade + 1 >= (attempts ?? 1);
}

/** `"200,1000,5000"` → `[200, 1000, 5000]`; throws on anything else. */
export function parseRetrySchedule(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => !/^\d+$/.test(part))) {
    throw new Error(`Invalid retry schedule "${text}": expected comma-separated milliseconds`);
  }
  return parts.map(Number);
}

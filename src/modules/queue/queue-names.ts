import type { AdvancedSettings, JobOptions } from 'bull';
import type { RedisConfig } from '../../config/redis.config';
import { RETRY_BACKOFF_STRATEGY, retryBackoffStrategy } from './retry-policy';

/** Every Bull queue the service uses: the one registry of names. */
export enum QueueName {
  /** Salesforce writes that did not finish in the call, and non-blocking writes (Task, Chatter). */
  SalesforceWrites = 'aicall-salesforce-writes',
  /** Writes that exhausted their retries or failed for good, waiting for a human (product.md §5). */
  DeadLetter = 'aicall-salesforce-deadletter',
}

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

/** Bound what Redis keeps of finished jobs; Postgres is the record of every write. */
export const DEFAULT_JOB_OPTIONS: JobOptions = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
};

/**
 * Settings of every queue. The lock and stalled-job settings decide how soon the job of a killed worker runs
 * again: Bull's defaults (30 s lock, 30 s check) leave a write of a dead worker waiting up to a minute. A short
 * lock is safe here because the lock is renewed every half lock in the background (only an event loop blocked
 * that long loses it), and a job that does run twice writes nothing twice (upserts on the call's external id:
 * stack-notes §3). A job that stalls more than `maxStalledCount` times is failed, and its write dead-lettered.
 */
export function queueSettings(redis: RedisConfig): AdvancedSettings {
  return {
    lockDuration: redis.lockDurationMs,
    stalledInterval: redis.stalledIntervalMs,
    maxStalledCount: redis.maxStalledCount,
    // The retry schedule as a named strategy; each job carries its schedule (retry-policy.ts).
    backoffStrategies: { [RETRY_BACKOFF_STRATEGY]: retryBackoffStrategy },
  };
}

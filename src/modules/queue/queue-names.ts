import type { JobOptions } from 'bull';

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

import type { JobOptions } from 'bull';
import { DEFAULT_JOB_OPTIONS } from '../../queue/queue-names';

/** The job on the dead-letter queue: alert the admin channel about one dead letter. */
export const DEAD_LETTER_ALERT_JOB = 'dead-letter-alert';

export interface DeadLetterAlertJobData {
  deadLetterId: string;
}

/** One alert per death of a write: a repeated event (or sweep) adds nothing. */
export function deadLetterAlertJobId(deadLetter: { id: string; deaths: number }): string {
  return `dead-letter:${deadLetter.id}:${deadLetter.deaths}`;
}

/** Slack may be down for a while: retried for about an hour (1 s doubling, 12 attempts), then logged and audited. */
export const deadLetterAlertJobOptions: JobOptions = {
  ...DEFAULT_JOB_OPTIONS,
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
};

import {
  DEFAULT_RETRY_SCHEDULE_MS,
  isLastAttempt,
  markPermanent,
  parseRetrySchedule,
  RETRY_BACKOFF_STRATEGY,
  retryActionFor,
  retryBackoffStrategy,
  retryJobOptions,
} from './retry-policy';

describe('retry policy', () => {
  it('follows the schedule 200 ms → 1 s → 5 s → 30 s → 5 min by default, six attempts in all', () => {
    expect([1, 2, 3, 4, 5].map((made) => retryBackoffStrategy(made, new Error('x')))).toEqual([
      200, 1000, 5000, 30_000, 300_000,
    ]);
    expect(retryJobOptions(DEFAULT_RETRY_SCHEDULE_MS)).toEqual({
      attempts: 6,
      backoff: { type: RETRY_BACKOFF_STRATEGY, options: { scheduleMs: [200, 1000, 5000, 30_000, 300_000] } },
    });
  });

  it('uses the schedule the job carries', () => {
    expect(retryBackoffStrategy(2, new Error('x'), { scheduleMs: [10, 20] })).toBe(20);
    expect(retryBackoffStrategy(3, new Error('x'), { scheduleMs: [10, 20] })).toBe(20);
  });

  it('fails the job at once (-1) for an error marked permanent, even a rebuilt plain object', () => {
    expect(retryBackoffStrategy(1, markPermanent(new Error('bad picklist')))).toBe(-1);
    expect(retryBackoffStrategy(1, { aicallPermanent: true })).toBe(-1);
  });

  it('maps each failure class to one action', () => {
    expect(retryActionFor({ errorClass: 'transient' })).toBe('retry');
    expect(retryActionFor({ errorClass: 'rate-limited' })).toBe('retry');
    expect(retryActionFor({ errorClass: 'auth' })).toBe('retry');
    expect(retryActionFor({ errorClass: 'auth', requiresReauthorization: true })).toBe('dead-letter');
    expect(retryActionFor({ errorClass: 'permanent' })).toBe('dead-letter');
  });

  it('knows the last attempt', () => {
    expect(isLastAttempt(4, 6)).toBe(false);
    expect(isLastAttempt(5, 6)).toBe(true);
  });

  it('parses RETRY_SCHEDULE_MS and refuses anything else', () => {
    expect(parseRetrySchedule('200, 1000,5000')).toEqual([200, 1000, 5000]);
    expect(() => parseRetrySchedule('200,soon')).toThrow(/Invalid retry schedule/);
  });
});

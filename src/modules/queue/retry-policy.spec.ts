import {
  ACTION_BY_FAILURE_CLASS,
  API_HEADROOM_RATIO,
  DAILY_LIMIT_DEFER_MS,
  DEFAULT_RETRY_SCHEDULE_MS,
  holdForApiHeadroom,
  markDeferred,
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

  it('is one table: transient, rate-limited and auth retry; permanent dead-letters', () => {
    expect(ACTION_BY_FAILURE_CLASS).toEqual({
      transient: 'retry',
      'rate-limited': 'retry',
      auth: 'retry',
      permanent: 'dead-letter',
    });
  });

  it('defers on the daily API limit, and holds non-critical writes back above the headroom ratio', () => {
    expect(retryActionFor({ errorClass: 'rate-limited', errorCode: 'REQUEST_LIMIT_EXCEEDED' })).toBe('defer');
    expect(retryActionFor({ errorClass: 'rate-limited', errorCode: 'API_HEADROOM_RESERVED' })).toBe('defer');
    expect(retryBackoffStrategy(1, markDeferred(new Error('limit')))).toBe(DAILY_LIMIT_DEFER_MS);
    expect(retryBackoffStrategy(1, { aicallDeferred: true })).toBe(DAILY_LIMIT_DEFER_MS);
    const atRatio = { used: API_HEADROOM_RATIO * 1000, limit: 1000 };
    expect(holdForApiHeadroom(atRatio, false)).toBe(true);
    expect(holdForApiHeadroom(atRatio, true)).toBe(false);
    expect(holdForApiHeadroom({ used: 10, limit: 1000 }, false)).toBe(false);
    expect(holdForApiHeadroom(undefined, false)).toBe(false);
  });

  it('gives each retry its exact delay from a shortened schedule too', () => {
    const options = retryJobOptions([50, 100, 150, 200, 250]).backoff as {
      options: { scheduleMs: number[] };
    };
    expect(
      [1, 2, 3, 4, 5].map((made) => retryBackoffStrategy(made, new Error('x'), options.options)),
    ).toEqual([50, 100, 150, 200, 250]);
  });

  it('continues after an in-call try: attempt 1 was made, retry n still waits the n-th delay, six attempts in all', () => {
    const afterInCall = retryJobOptions(DEFAULT_RETRY_SCHEDULE_MS, 1);
    expect(afterInCall).toEqual({
      attempts: 5,
      delay: 200,
      backoff: { type: RETRY_BACKOFF_STRATEGY, options: { scheduleMs: [1000, 5000, 30_000, 300_000] } },
    });
    const { scheduleMs } = (afterInCall.backoff as { options: { scheduleMs: number[] } }).options;
    // Job attempts 1..5 are the write's attempts 2..6: the first waits `delay`, the next ones the backoff.
    const delays = [
      afterInCall.delay,
      ...[1, 2, 3, 4].map((made) => retryBackoffStrategy(made, new Error('x'), { scheduleMs })),
    ];
    expect(delays).toEqual([200, 1000, 5000, 30_000, 300_000]);
    expect(1 + (afterInCall.attempts ?? 0)).toBe(DEFAULT_RETRY_SCHEDULE_MS.length + 1);
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

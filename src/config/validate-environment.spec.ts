import { EnvironmentValidationError, validateEnvironment } from './validate-environment';

describe('validateEnvironment', () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      validateEnvironment(env);
      return [];
    } catch (error) {
      if (error instanceof EnvironmentValidationError) return error.problems;
      throw error;
    }
  };

  it('accepts an empty development environment (defaults point at localhost)', () => {
    expect(problemsOf({})).toEqual([]);
  });

  it('names every bad variable in one error', () => {
    const problems = problemsOf({
      PORT: '99999',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'localhost:6379',
      BODY_LIMIT_BYTES: '-1',
    });
    expect(problems.join('\n')).toEqual(expect.stringContaining('PORT'));
    expect(problems.join('\n')).toEqual(expect.stringContaining('DATABASE_URL'));
    expect(problems.join('\n')).toEqual(expect.stringContaining('REDIS_URL'));
    expect(problems.join('\n')).toEqual(expect.stringContaining('BODY_LIMIT_BYTES'));
    expect(problems).toHaveLength(4);
  });

  it('bounds the queue lock and stalled-job settings', () => {
    expect(
      problemsOf({
        QUEUE_LOCK_DURATION_MS: '5000',
        QUEUE_STALLED_INTERVAL_MS: '2000',
        QUEUE_MAX_STALLED_COUNT: '3',
      }),
    ).toEqual([]);
    const problems = problemsOf({
      QUEUE_LOCK_DURATION_MS: '100',
      QUEUE_STALLED_INTERVAL_MS: 'often',
      QUEUE_MAX_STALLED_COUNT: '0',
    });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      'QUEUE_LOCK_DURATION_MS',
      'QUEUE_STALLED_INTERVAL_MS',
      'QUEUE_MAX_STALLED_COUNT',
    ]);
  });

  it('in production requires OPERATOR_API_KEY and ENCRYPTION_KEY and says which is missing', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'OPERATOR_API_KEY is required when NODE_ENV=production',
      'ENCRYPTION_KEY is required when NODE_ENV=production',
    ]);
    expect(
      problemsOf({ NODE_ENV: 'production', OPERATOR_API_KEY: 'k'.repeat(40), ENCRYPTION_KEY: 'short' }),
    ).toEqual(['ENCRYPTION_KEY must be 32 bytes, base64-encoded (44 characters)']);
  });

  it('accepts a complete production environment', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        OPERATOR_API_KEY: 'k'.repeat(40),
        ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      }),
    ).toEqual([]);
  });
});

import { appConfig } from './app.config';
import { validateEnvironment } from './validate-environment';

describe('appConfig logFormat', () => {
  const saved = { env: { ...process.env }, isTTY: process.stdout.isTTY };
  const withEnv = (env: Record<string, string | undefined>, isTTY: boolean) => {
    process.env = { ...saved.env, ...env };
    process.stdout.isTTY = isTTY;
    return appConfig().logFormat;
  };
  afterEach(() => {
    process.env = { ...saved.env };
    process.stdout.isTTY = saved.isTTY;
  });

  it('is pretty in development on a terminal only', () => {
    expect(withEnv({ NODE_ENV: 'development', LOG_FORMAT: undefined }, true)).toBe('pretty');
    expect(withEnv({ NODE_ENV: 'development', LOG_FORMAT: undefined }, false)).toBe('json');
    expect(withEnv({ NODE_ENV: 'production', LOG_FORMAT: undefined }, true)).toBe('json');
    expect(withEnv({ NODE_ENV: 'test', LOG_FORMAT: undefined }, true)).toBe('json');
  });

  it('follows LOG_FORMAT when set, and refuses any other value', () => {
    expect(withEnv({ NODE_ENV: 'development', LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(withEnv({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(() => validateEnvironment({ LOG_FORMAT: 'colourful' })).toThrow(/LOG_FORMAT/);
  });
});

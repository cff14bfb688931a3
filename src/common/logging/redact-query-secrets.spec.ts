import { redactQuerySecrets } from './logging.module';

describe('redactQuerySecrets', () => {
  it('keeps the path and harmless parameters, hides OAuth secrets', () => {
    expect(redactQuerySecrets('/v1/connection/oauth/callback?code=abc123&state=xyz&x=1')).toBe(
      '/v1/connection/oauth/callback?code=[redacted]&state=[redacted]&x=1',
    );
    expect(redactQuerySecrets('/health/ready')).toBe('/health/ready');
    expect(redactQuerySecrets('/v1/lookup?phone=%2B14155551212')).toBe('/v1/lookup?phone=%2B14155551212');
  });
});

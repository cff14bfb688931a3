import { bearerKeyOf, generateApiKey, matchesSecret, roleClaimedBy } from './api-key-secrets';

describe('api-key-secrets', () => {
  it('matchesSecret compares keys of any length without throwing (hashes of equal length are compared)', () => {
    const secret = 'test-operator-key-0123456789-abcdefghijklmnop';
    expect(matchesSecret(secret, secret)).toBe(true);
    expect(matchesSecret('short', secret)).toBe(false);
    expect(matchesSecret(`${secret}x`.repeat(10), secret)).toBe(false);
  });

  it('bearerKeyOf reads the key of a bearer header only', () => {
    expect(bearerKeyOf('Bearer abc')).toBe('abc');
    expect(bearerKeyOf('bearer   abc')).toBe('abc');
    expect(bearerKeyOf('Basic abc')).toBeUndefined();
    expect(bearerKeyOf(undefined)).toBeUndefined();
  });

  it('roleClaimedBy reads the role a generated key names', () => {
    expect(roleClaimedBy(generateApiKey('agent').key)).toBe('agent');
    expect(roleClaimedBy(generateApiKey('admin').key)).toBe('admin');
    expect(roleClaimedBy('any-operator-key')).toBe('operator');
  });
});

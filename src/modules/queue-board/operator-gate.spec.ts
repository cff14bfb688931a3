import { presentedKey } from './operator-gate';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('presentedKey', () => {
  it('reads a bearer key, or the password of Basic credentials whatever the user name', () => {
    expect(presentedKey('Bearer abc.def')).toBe('abc.def');
    expect(presentedKey(basic('operator:s3cret:with:colons'))).toBe('s3cret:with:colons');
    expect(presentedKey(basic(':s3cret'))).toBe('s3cret');
  });

  it('finds no key in a missing, foreign or malformed header', () => {
    expect(presentedKey(undefined)).toBeUndefined();
    expect(presentedKey('Digest username="x"')).toBeUndefined();
    expect(presentedKey(basic('no-colon'))).toBeUndefined();
    expect(presentedKey('Basic !!!')).toBeUndefined();
  });
});

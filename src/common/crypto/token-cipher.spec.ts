import { randomBytes } from 'node:crypto';
import { CipherError, keyIdOf, TokenCipher } from './token-cipher';

const newKey = () => randomBytes(32).toString('base64');

describe('TokenCipher', () => {
  const key = newKey();
  const cipher = new TokenCipher(key);

  it('round-trips a secret, never showing it in the ciphertext, with a fresh IV each time', () => {
    const secret = '00D5g000000AbCd!AQ8AQJ.secret-access-token';
    const first = cipher.encrypt(secret, 'tenant-1:access_token');
    const second = cipher.encrypt(secret, 'tenant-1:access_token');
    expect(first).not.toContain(secret);
    expect(first).not.toEqual(second);
    expect(first.split('.')[1]).toBe(keyIdOf(Buffer.from(key, 'base64')));
    expect(cipher.decrypt(first, 'tenant-1:access_token')).toBe(secret);
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const encrypted = cipher.encrypt('refresh-token', 'ctx');
    const parts = encrypted.split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = [...parts];
      tampered[index] = bytes.toString('base64url');
      expect(() => cipher.decrypt(tampered.join('.'), 'ctx')).toThrow(CipherError);
    }
  });

  it('refuses a value moved to another context (another tenant or column)', () => {
    const encrypted = cipher.encrypt('refresh-token', 'tenant-1:refresh_token');
    expect(() => cipher.decrypt(encrypted, 'tenant-2:refresh_token')).toThrow(CipherError);
  });

  it('rotates keys: the new key encrypts, the previous one still decrypts, and old values are flagged', () => {
    const old = cipher.encrypt('client-secret', 'ctx');
    const rotated = new TokenCipher(newKey(), [key]);
    expect(rotated.decrypt(old, 'ctx')).toBe('client-secret');
    expect(rotated.needsReencryption(old)).toBe(true);
    const fresh = rotated.encrypt('client-secret', 'ctx');
    expect(rotated.needsReencryption(fresh)).toBe(false);
    expect(() => cipher.decrypt(fresh, 'ctx')).toThrow(/unknown key/);
  });

  it('refuses keys that are not 32 bytes and values of an unknown format', () => {
    expect(() => new TokenCipher(Buffer.alloc(16).toString('base64'))).toThrow(CipherError);
    expect(() => cipher.decrypt('plain-text-token', 'ctx')).toThrow(CipherError);
  });
});

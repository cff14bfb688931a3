import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const FORMAT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CipherError';
  }
}

interface CipherKey {
  id: string;
  key: Buffer;
}

/** The key id is derived from the key itself, so rotating needs no naming scheme and no extra setting. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function toKey(base64: string): CipherKey {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new CipherError('An encryption key must be 32 bytes, base64-encoded');
  return { id: keyIdOf(key), key };
}

/**
 * AES-256-GCM for secrets at rest (Salesforce tokens, client secrets, private keys).
 * Output: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). The current key encrypts; previous keys still
 * decrypt, so a key can be rotated without downtime and rows re-encrypted lazily (`needsReencryption`).
 * The `context` (e.g. `tenantId:access_token`) is authenticated data: a ciphertext copied to another tenant or
 * column fails to decrypt.
 */
export class TokenCipher {
  private readonly current: CipherKey;
  private readonly keys: Map<string, Buffer>;

  constructor(currentKey: string, previousKeys: readonly string[] = []) {
    this.current = toKey(currentKey);
    this.keys = new Map([this.current, ...previousKeys.map(toKey)].map(({ id, key }) => [id, key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT_VERSION, this.current.id, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(payload: string, context: string): string {
    const [version, keyId, iv, ciphertext, tag, extra] = payload.split('.');
    if (
      version !== FORMAT_VERSION ||
      !keyId ||
      !iv ||
      ciphertext === undefined ||
      !tag ||
      extra !== undefined
    ) {
      throw new CipherError('Not an encrypted value of a known format');
    }
    const key = this.keys.get(keyId);
    if (!key)
      throw new CipherError(`Encrypted with an unknown key (${keyId}); is ENCRYPTION_KEYS_PREVIOUS set?`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new CipherError('Encrypted value failed authentication (tampered, or the wrong context)');
    }
  }

  /** True when the value was written under an older key and should be re-encrypted with the current one. */
  needsReencryption(payload: string): boolean {
    return payload.split('.')[1] !== this.current.id;
  }
}

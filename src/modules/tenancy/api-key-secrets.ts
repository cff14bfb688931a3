import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TenantKeyRole } from './entities/api-key.entity';

const KEY_PREFIX_LENGTH = 16;

/** A new key: 256 random bits behind a readable prefix (`aick_agent_…`) that secret scanners can spot. */
export function generateApiKey(role: TenantKeyRole): { key: string; hash: string; prefix: string } {
  const key = `aick_${role}_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, KEY_PREFIX_LENGTH) };
}

/** Keys are long random secrets, so a plain SHA-256 is enough (no slow hash needed) and keeps auth cheap. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Compares in constant time, so response timing says nothing about the operator key. */
export function matchesSecret(candidate: string, secret: string): boolean {
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

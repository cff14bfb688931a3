import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../common/auth/principal';
import type { TenantKeyRole } from './entities/api-key.entity';

const KEY_PREFIX_LENGTH = 16;
const BEARER = /^Bearer\s+(\S+)$/i;

/** The key of an `Authorization: Bearer <key>` header, or undefined when there is none. */
export function bearerKeyOf(authorization: string | undefined): string | undefined {
  return authorization ? BEARER.exec(authorization)?.[1] : undefined;
}

/**
 * The role a key's own prefix claims (`aick_agent_…`, `aick_admin_…`; anything else may be the operator's).
 * Only for choosing a rate limit before authentication: a false claim gains nothing, since each key is
 * counted on its own and an unknown key is refused by the guard anyway.
 */
export function roleClaimedBy(key: string): Role {
  if (key.startsWith('aick_agent_')) return 'agent';
  if (key.startsWith('aick_admin_')) return 'admin';
  return 'operator';
}

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

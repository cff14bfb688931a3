import { randomBytes } from 'node:crypto';
import { registerAs } from '@nestjs/config';
import { IsNotEmpty, IsOptional, Matches, MinLength, ValidateIf } from 'class-validator';

/**
 * Development-only encryption key, so a local database keeps decrypting across restarts.
 * Production refuses to start without a real ENCRYPTION_KEY.
 */
const DEVELOPMENT_ENCRYPTION_KEY = 'ZGV2ZWxvcG1lbnQtb25seS1rZXktbmV2ZXItdXNlISE=';

const requiredInProduction = (env: SecurityEnvironment, value: string | undefined) =>
  env.NODE_ENV === 'production' || value !== undefined;

export class SecurityEnvironment {
  /** Read here only to decide what production requires; validated by AppEnvironment. */
  NODE_ENV?: string;

  @ValidateIf((env: SecurityEnvironment) => requiredInProduction(env, env.OPERATOR_API_KEY))
  // Decorators run bottom-up and validation stops at the first failure: "required" must come last.
  @MinLength(32, { message: 'OPERATOR_API_KEY must be at least 32 characters' })
  @IsNotEmpty({ message: 'OPERATOR_API_KEY is required when NODE_ENV=production' })
  OPERATOR_API_KEY?: string;

  @ValidateIf((env: SecurityEnvironment) => requiredInProduction(env, env.ENCRYPTION_KEY))
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'ENCRYPTION_KEY must be 32 bytes, base64-encoded (44 characters)',
  })
  @IsNotEmpty({ message: 'ENCRYPTION_KEY is required when NODE_ENV=production' })
  ENCRYPTION_KEY?: string;

  /** Keys being rotated out, comma-separated: they still decrypt what they wrote; ENCRYPTION_KEY encrypts. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=(,[A-Za-z0-9+/]{43}=)*$/, {
    message: 'ENCRYPTION_KEYS_PREVIOUS must be a comma-separated list of 32-byte base64 keys',
  })
  ENCRYPTION_KEYS_PREVIOUS?: string;
}

export const securityConfig = registerAs('security', () => ({
  /** Undefined in development when unset: the start-up then generates one and prints it once. */
  operatorApiKey: process.env.OPERATOR_API_KEY,
  encryptionKey: process.env.ENCRYPTION_KEY ?? DEVELOPMENT_ENCRYPTION_KEY,
  previousEncryptionKeys: (process.env.ENCRYPTION_KEYS_PREVIOUS ?? '').split(',').filter(Boolean),
}));
export type SecurityConfig = ReturnType<typeof securityConfig>;

/**
 * Development convenience: without OPERATOR_API_KEY a random one is made for this run and printed once to the
 * terminal (never to the log). Production refuses to start without one (see SecurityEnvironment).
 */
export function ensureDevelopmentOperatorKey(): string {
  const existing = process.env.OPERATOR_API_KEY;
  if (existing || process.env.NODE_ENV === 'production') return existing ?? '';
  const generated = `aick_operator_${randomBytes(32).toString('base64url')}`;
  process.env.OPERATOR_API_KEY = generated;
  console.warn(`OPERATOR_API_KEY was not set; this run's operator key is:\n  ${generated}`);
  return generated;
}

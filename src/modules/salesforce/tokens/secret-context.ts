export type SecretColumn =
  'access_token' | 'refresh_token' | 'client_secret' | 'private_key' | 'code_verifier';

/** Authenticated data for TokenCipher: a secret only decrypts for the tenant and column it was written for. */
export const secretContext = (tenantId: string, column: SecretColumn): string =>
  `salesforce:${tenantId}:${column}`;

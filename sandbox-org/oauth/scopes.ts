/** Scope rules of §1.5. */

/** Requested scopes the app may grant; without a request, everything the app allows. */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  if (!requested?.trim()) return [...allowed];
  const wanted = new Set(requested.trim().split(/[\s+]+/));
  return allowed.filter((scope) => wanted.has(scope));
}

export const canUseRestApi = (scopes: ReadonlySet<string>): boolean =>
  scopes.has('api') || scopes.has('full');

/** `api` and `full` include the Connect (Chatter) REST API. */
export const canUseChatter = (scopes: ReadonlySet<string>): boolean =>
  canUseRestApi(scopes) || scopes.has('chatter_api');

export const allowsRefreshToken = (scopes: readonly string[]): boolean =>
  scopes.includes('refresh_token') || scopes.includes('offline_access');

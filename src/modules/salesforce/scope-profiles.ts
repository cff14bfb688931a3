import { DomainError } from '../../common/errors/domain-error';
import { SalesforceErrorCode } from './salesforce-error-code';

/**
 * The three OAuth scope profiles (product.md §1) and the one answer, for the whole code base, to "which profile
 * does this operation need". A tenant connects with the narrowest profile that does the job.
 */
export const SCOPE_PROFILES = {
  standard: ['api', 'refresh_token', 'offline_access'],
  extended: ['api', 'refresh_token', 'offline_access', 'web', 'full'],
  privileged: ['api', 'refresh_token', 'offline_access', 'chatter_api'],
} as const satisfies Record<string, readonly string[]>;

export type ScopeProfileName = keyof typeof SCOPE_PROFILES;
export const SCOPE_PROFILE_NAMES = Object.keys(SCOPE_PROFILES) as ScopeProfileName[];

/** Everything the connector asks of Salesforce, at the grain that scopes care about. */
export type SalesforceOperation =
  'describe' | 'query' | 'search' | 'sobject-write' | 'record-page-ui' | 'chatter-post';

const REQUIRED_PROFILE: Record<SalesforceOperation, ScopeProfileName> = {
  describe: 'standard',
  query: 'standard',
  search: 'standard',
  'sobject-write': 'standard',
  'record-page-ui': 'extended',
  // Salesforce lets `api` post to Chatter too, but the product keeps Chatter behind its own profile.
  'chatter-post': 'privileged',
};

export function requiredProfileFor(operation: SalesforceOperation): ScopeProfileName {
  return REQUIRED_PROFILE[operation];
}

/** A profile satisfies another when it holds every scope of it (extended and privileged do not cover each other). */
export function profileSatisfies(profile: ScopeProfileName, required: ScopeProfileName): boolean {
  const scopes: readonly string[] = SCOPE_PROFILES[profile];
  return SCOPE_PROFILES[required].every((scope) => scopes.includes(scope));
}

export function profileAllows(profile: ScopeProfileName, operation: SalesforceOperation): boolean {
  return profileSatisfies(profile, requiredProfileFor(operation));
}

/** Granted scopes that stand for a requested one (salesforce-rest.md §1.5). */
const IMPLIED_BY: Readonly<Record<string, readonly string[]>> = {
  api: ['full'],
  web: ['full'],
  chatter_api: ['api', 'full'],
  refresh_token: ['offline_access'],
  offline_access: ['refresh_token'],
};
const REFRESH_SCOPES: readonly string[] = ['refresh_token', 'offline_access'];

/**
 * The profile's scopes that Salesforce did not grant. Flows that never return a refresh token (client
 * credentials, JWT bearer) are not expected to grant the refresh scopes.
 */
export function missingScopes(
  profile: ScopeProfileName,
  granted: readonly string[],
  options: { refreshable: boolean },
): string[] {
  return SCOPE_PROFILES[profile].filter(
    (scope) =>
      (options.refreshable || !REFRESH_SCOPES.includes(scope)) &&
      !granted.includes(scope) &&
      !(IMPLIED_BY[scope] ?? []).some((implied) => granted.includes(implied)),
  );
}

/** An operation beyond the connection's profile: names the profile that would allow it. */
export class ScopeInsufficientError extends DomainError {
  constructor(
    readonly operation: SalesforceOperation,
    readonly requiredProfile: ScopeProfileName,
    readonly connectedProfile: ScopeProfileName,
  ) {
    super(
      SalesforceErrorCode.ScopeInsufficient,
      `"${operation}" needs the ${requiredProfile} scope profile; this tenant is connected with ${connectedProfile}`,
    );
  }
}

/** Throws ScopeInsufficientError unless the profile allows the operation. */
export function assertProfileAllows(profile: ScopeProfileName, operation: SalesforceOperation): void {
  if (!profileAllows(profile, operation)) {
    throw new ScopeInsufficientError(operation, requiredProfileFor(operation), profile);
  }
}

import { DomainError } from '../../common/errors/domain-error';
import { SalesforceErrorCode } from './salesforce-error-code';

/**
 * Where a tenant's OAuth flows go (salesforce-rest.md §1.1, §10): production and sandbox login hosts, or the
 * org's My Domain. The login URL comes from an admin, so it is checked before the server ever calls it: https,
 * a Salesforce host (or a host the deployment allows, such as the loopback sandbox org in development), and
 * nothing besides scheme and host — an admin must never make the server call an arbitrary internal address.
 */
export const LOGIN_ENVIRONMENTS = ['production', 'sandbox', 'my_domain'] as const;
export type LoginEnvironment = (typeof LOGIN_ENVIRONMENTS)[number];

const STANDARD_LOGIN_URLS: Readonly<Record<Exclude<LoginEnvironment, 'my_domain'>, string>> = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
};

/** The generic login hosts, which refuse the client-credentials flow (§1.1). */
const GENERIC_LOGIN_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com']);

/** Salesforce's own domains (§10): production and sandbox My Domains, Experience sites, classic pods. */
const SALESFORCE_DOMAIN_SUFFIXES = ['.salesforce.com', '.force.com'];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const invalidLoginUrl = (message: string) =>
  new DomainError(SalesforceErrorCode.LoginUrlInvalid, message, [
    { field: 'loginUrl', code: 'LOGIN_URL_INVALID', message },
  ]);

const MY_DOMAIN_HELP =
  "Use your org's My Domain URL (https://<your-domain>.my.salesforce.com, or …sandbox.my.salesforce.com for a sandbox): an admin finds it in Salesforce Setup → My Domain.";

/** Client credentials at login.salesforce.com or test.salesforce.com: Salesforce refuses the flow there (§1.1). */
export const myDomainRequired = () =>
  new DomainError(
    SalesforceErrorCode.MyDomainRequired,
    `Salesforce accepts the client-credentials flow only on the org's My Domain, not on a login host. ${MY_DOMAIN_HELP}`,
    [{ field: 'loginUrl', code: 'MY_DOMAIN_REQUIRED', message: MY_DOMAIN_HELP }],
  );

/** Salesforce's answer to a client-credentials request at a login host: 400 invalid_grant (§1.1). */
export function isMyDomainRefusal(error: { salesforceErrorCode?: string; message: string }): boolean {
  return error.salesforceErrorCode === 'invalid_grant' && /not supported on this domain/i.test(error.message);
}

export function isGenericLoginHost(loginUrl: string): boolean {
  return GENERIC_LOGIN_HOSTS.has(new URL(loginUrl).hostname.toLowerCase());
}

export interface LoginTarget {
  environment?: LoginEnvironment;
  loginUrl?: string;
}

/**
 * The login URL a flow uses: the environment's standard host, or the checked URL the admin gave (its origin).
 * `allowedHosts`: hosts accepted besides Salesforce's own (SALESFORCE_LOGIN_HOSTS_ALLOWED); plain http only
 * for an allowed loopback host.
 */
export function resolveLoginUrl(target: LoginTarget, allowedHosts: readonly string[]): string {
  const { environment, loginUrl } = target;
  if (environment && environment !== 'my_domain') {
    const standard = STANDARD_LOGIN_URLS[environment];
    if (loginUrl !== undefined && originOf(loginUrl) !== standard) {
      throw invalidLoginUrl(
        `The ${environment} environment logs in at ${standard}; omit loginUrl or use my_domain`,
      );
    }
    return standard;
  }
  if (loginUrl === undefined) {
    throw invalidLoginUrl(
      'Give loginUrl: your My Domain URL (or choose the production or sandbox environment)',
    );
  }
  return checkedOrigin(loginUrl, allowedHosts);
}

function originOf(text: string): string | null {
  try {
    return new URL(text).origin;
  } catch {
    return null;
  }
}

function checkedOrigin(text: string, allowedHosts: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidLoginUrl('loginUrl is not a URL');
  }
  if (url.username || url.password) throw invalidLoginUrl('loginUrl must not carry credentials');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw invalidLoginUrl('loginUrl is a scheme and host only (no path, query or fragment)');
  }
  const host = url.hostname.toLowerCase();
  const allowed = allowedHosts.map((entry) => entry.toLowerCase()).includes(host);
  const salesforce = SALESFORCE_DOMAIN_SUFFIXES.some((suffix) => host.endsWith(suffix)) && !url.port;
  if (!salesforce && !allowed) {
    throw invalidLoginUrl(
      `${host} is not a Salesforce host (*.my.salesforce.com, *.salesforce.com, *.force.com). ${MY_DOMAIN_HELP}`,
    );
  }
  const plainHttpAllowed = allowed && LOOPBACK_HOSTS.has(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainHttpAllowed)) {
    throw invalidLoginUrl('loginUrl must use https');
  }
  return url.origin;
}

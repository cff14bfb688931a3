import type { Session } from '../oauth/session-store';
import { LOGIN_HOST, type SandboxState } from '../state/sandbox-state';
import { RestError } from './errors';

const sessionInvalid = () =>
  new RestError(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }], {
    'www-authenticate': 'Token',
  });

/**
 * The live session behind `Authorization: Bearer <token>` (§1.6): absent/expired/revoked → 401
 * INVALID_SESSION_ID with `WWW-Authenticate: Token`; not a Bearer/OAuth header → 401 INVALID_AUTH_HEADER.
 * An instance only knows the sessions of orgs living on it.
 */
export function authenticate(
  state: SandboxState,
  authorization: string | undefined,
  hostName: string,
): Session {
  if (!authorization) throw sessionInvalid();
  const match = /^(?:Bearer|OAuth) +(\S+)$/i.exec(authorization.trim());
  if (!match)
    throw new RestError(401, [{ message: 'INVALID_HEADER_TYPE', errorCode: 'INVALID_AUTH_HEADER' }]);
  const token = match[1];
  const orgPrefix = token.slice(0, 15);
  const org = state.orgs.find((o) => o.id.startsWith(orgPrefix));
  if (!org || (hostName !== LOGIN_HOST && org.instance !== hostName)) throw sessionInvalid();
  const session = state.sessions.useSession(token, org.settings.sessionIdleSeconds * 1000);
  if (!session) throw sessionInvalid();
  return session;
}

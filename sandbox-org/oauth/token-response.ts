import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { ConnectedAppSpec } from '../org-definition/definition-types';
import type { OrgRuntime } from '../org/org-runtime';
import type { SandboxState } from '../state/sandbox-state';

export type GrantFlow = 'authorization_code' | 'refresh_token' | 'jwt_bearer' | 'client_credentials';

export interface TokenIssue {
  org: OrgRuntime;
  app: ConnectedAppSpec;
  userId: string;
  scopes: string[];
  flow: GrantFlow;
  /** Refresh token to return (new grant, or a rotated one). */
  refreshTokenToReturn?: string;
  /** Refresh token the new session descends from (for revocation). */
  parentRefreshToken?: string;
}

/** Identity URL (§1.7): `<login host>/id/<orgId>/<userId>`. */
export function identityUrl(state: SandboxState, org: OrgRuntime, userId: string): string {
  return `${state.loginUrl}/id/${org.id}/${userId}`;
}

/**
 * Opens a session and builds the token response with the fields of §1.3 for the flow: `issued_at` as a
 * string, `signature` = base64(HMAC-SHA256(client secret, id + issued_at)) (none for JWT bearer).
 */
export function issueTokens(
  state: SandboxState,
  issue: TokenIssue,
  idTokenKeyPem: string,
): Record<string, string> {
  const { org, app, userId, scopes } = issue;
  const session = state.sessions.openSession(org.id, {
    orgKey: org.key,
    userId,
    clientId: app.clientId,
    scopes: new Set(scopes),
    refreshToken: issue.parentRefreshToken ?? issue.refreshTokenToReturn,
  });
  const id = identityUrl(state, org, userId);
  const issuedAt = String(Date.now());
  const response: Record<string, string> = { access_token: session.accessToken };
  if (issue.refreshTokenToReturn) response.refresh_token = issue.refreshTokenToReturn;
  if (issue.flow !== 'jwt_bearer') {
    response.signature = createHmac('sha256', app.clientSecret)
      .update(id + issuedAt)
      .digest('base64');
  }
  response.scope = scopes.join(' ');
  if (scopes.includes('openid') && (issue.flow === 'authorization_code' || issue.flow === 'refresh_token')) {
    response.id_token = jwt.sign({ sub: id, aud: app.clientId, iss: state.loginUrl }, idTokenKeyPem, {
      algorithm: 'RS256',
      expiresIn: 300,
    });
  }
  response.instance_url = state.host(org.instance).url;
  response.id = id;
  response.token_type = 'Bearer';
  if (issue.flow !== 'jwt_bearer') response.issued_at = issuedAt;
  return response;
}

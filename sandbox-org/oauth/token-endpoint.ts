import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { ConnectedAppSpec } from '../org-definition/definition-types';
import type { OrgRuntime } from '../org/org-runtime';
import { LOGIN_HOST, type SandboxState } from '../state/sandbox-state';
import { OAuthError } from '../http/errors';
import { allowsRefreshToken, grantScopes } from './scopes';
import { issueTokens, type TokenIssue } from './token-response';

export type TokenParams = Record<string, string | undefined>;

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const invalidClient = () => new OAuthError('invalid_client', 'invalid client credentials');

/**
 * `POST /services/oauth2/token` (§1.2): one handler per grant type, OAuth-shaped errors (§1.4).
 * `hostName` is the port asked: the login host serves every org; an instance plays its orgs' My Domain
 * (§1.1, §10) and knows only the connected apps of the orgs living on it.
 */
export function handleTokenRequest(
  state: SandboxState,
  params: TokenParams,
  idTokenKeyPem: string,
  hostName: string,
) {
  const grantType = params.grant_type;
  if (!grantType) throw new OAuthError('invalid_request', 'grant type is missing');
  const issue = grantFor(state, grantType, params, hostName);
  return issueTokens(state, issue, idTokenKeyPem);
}

function grantFor(state: SandboxState, grantType: string, params: TokenParams, hostName: string): TokenIssue {
  const findApp = (clientId: string | undefined) => appOnHost(state, clientId, hostName);
  switch (grantType) {
    case 'authorization_code':
      return authorizationCodeGrant(state, params, findApp);
    case 'refresh_token':
      return refreshTokenGrant(state, params, findApp);
    case JWT_BEARER:
      return jwtBearerGrant(state, params, findApp);
    case 'client_credentials':
      // Only the org's My Domain answers client credentials; login/test.salesforce.com refuse it (§1.1).
      if (hostName === LOGIN_HOST)
        throw new OAuthError('invalid_grant', 'request not supported on this domain');
      return clientCredentialsGrant(state, params, findApp);
    default:
      throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  }
}

type AppFinder = (clientId: string | undefined) => { org: OrgRuntime; app: ConnectedAppSpec };

/** The connected app among the orgs this host serves [belief: another org's app is unknown on a My Domain]. */
function appOnHost(
  state: SandboxState,
  clientId: string | undefined,
  hostName: string,
): { org: OrgRuntime; app: ConnectedAppSpec } {
  const found = clientId ? state.connectedApp(clientId) : undefined;
  if (!found || !state.orgsOn(hostName).includes(found.org))
    throw new OAuthError('invalid_client_id', 'client identifier invalid');
  return found;
}

/** A given secret must match; a missing one is only fine for public (PKCE) clients. */
function checkSecret(app: ConnectedAppSpec, secret: string | undefined, secretOptional: boolean): void {
  if (secret === undefined ? !secretOptional : secret !== app.clientSecret) throw invalidClient();
}

function authorizationCodeGrant(state: SandboxState, params: TokenParams, findApp: AppFinder): TokenIssue {
  const { org, app } = findApp(params.client_id);
  const code = params.code ? state.sessions.takeCode(params.code) : undefined;
  if (!code || code.clientId !== app.clientId)
    throw new OAuthError('invalid_grant', 'invalid authorization code');
  if (code.expiresAt < Date.now()) throw new OAuthError('invalid_grant', 'authorization code expired');
  if (params.redirect_uri !== code.redirectUri) {
    throw new OAuthError('invalid_grant', 'redirect_uri must match configuration');
  }
  checkSecret(app, params.client_secret, code.codeChallenge !== undefined);
  if (code.codeChallenge !== undefined) {
    // PKCE (§1.2): verifier missing → invalid_grant, verifier wrong → invalid_request
    if (!params.code_verifier) throw new OAuthError('invalid_grant', 'invalid code verifier');
    const challenge = createHash('sha256').update(params.code_verifier).digest('base64url');
    if (challenge !== code.codeChallenge) throw new OAuthError('invalid_request', 'invalid code verifier');
  }
  const refreshTokenToReturn = allowsRefreshToken(code.scopes)
    ? state.sessions.grantRefreshToken(org.id, {
        orgKey: org.key,
        userId: code.userId,
        clientId: app.clientId,
        scopes: code.scopes,
        publicClient: code.codeChallenge !== undefined,
      }).refreshToken
    : undefined;
  return {
    org,
    app,
    userId: code.userId,
    scopes: code.scopes,
    flow: 'authorization_code',
    refreshTokenToReturn,
  };
}

function refreshTokenGrant(state: SandboxState, params: TokenParams, findApp: AppFinder): TokenIssue {
  const { org, app } = findApp(params.client_id);
  const grant = params.refresh_token ? state.sessions.refreshGrant(params.refresh_token) : undefined;
  if (!grant || grant.clientId !== app.clientId) {
    throw new OAuthError('invalid_grant', 'expired access/refresh token');
  }
  checkSecret(app, params.client_secret, grant.publicClient);
  // Rotation (§1.3): a new refresh token is returned and the old one stops working.
  if (org.settings.refreshTokenRotation) {
    state.sessions.retireRefreshToken(grant.refreshToken);
    const rotated = state.sessions.grantRefreshToken(org.id, { ...grant });
    return {
      org,
      app,
      userId: grant.userId,
      scopes: grant.scopes,
      flow: 'refresh_token',
      refreshTokenToReturn: rotated.refreshToken,
    };
  }
  return {
    org,
    app,
    userId: grant.userId,
    scopes: grant.scopes,
    flow: 'refresh_token',
    parentRefreshToken: grant.refreshToken,
  };
}

/** Audiences Salesforce accepts: the login hosts (§1.2), here also the sandbox's own URLs. */
function acceptedAudiences(state: SandboxState, org: OrgRuntime): string[] {
  return [
    'https://login.salesforce.com',
    'https://test.salesforce.com',
    state.loginUrl,
    state.host(org.instance).url,
  ];
}

function jwtBearerGrant(state: SandboxState, params: TokenParams, findApp: AppFinder): TokenIssue {
  const assertion = params.assertion ?? '';
  const decoded = jwt.decode(assertion, { json: true });
  if (!decoded) throw new OAuthError('invalid_grant', 'invalid assertion');
  const { org, app } = findApp(decoded.iss);
  if (!app.jwtPublicKeyPem) throw new OAuthError('invalid_grant', 'invalid assertion');
  try {
    jwt.verify(assertion, app.jwtPublicKeyPem, { algorithms: ['RS256'] });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError)
      throw new OAuthError('invalid_grant', 'expired authorization code');
    throw new OAuthError('invalid_grant', 'invalid assertion');
  }
  if (decoded.exp === undefined) throw new OAuthError('invalid_grant', 'invalid assertion');
  const audiences = Array.isArray(decoded.aud) ? decoded.aud : [decoded.aud];
  if (!audiences.some((aud) => aud !== undefined && acceptedAudiences(state, org).includes(aud))) {
    throw new OAuthError('invalid_grant', 'audience is invalid');
  }
  const user = decoded.sub ? org.userByUsername(decoded.sub) : undefined;
  if (!user?.jwtPreAuthorized) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
  return { org, app, userId: user.id, scopes: grantScopes(params.scope, app.scopes), flow: 'jwt_bearer' };
}

function clientCredentialsGrant(state: SandboxState, params: TokenParams, findApp: AppFinder): TokenIssue {
  const { org, app } = findApp(params.client_id);
  checkSecret(app, params.client_secret, false);
  const user = app.runAsUser ? org.userByRef(app.runAsUser) : undefined;
  if (!user) throw new OAuthError('invalid_grant', 'no client credentials user enabled');
  // No refresh token in this flow (§1.3).
  const scopes = grantScopes(params.scope, app.scopes).filter(
    (s) => s !== 'refresh_token' && s !== 'offline_access',
  );
  return { org, app, userId: user.id, scopes, flow: 'client_credentials' };
}

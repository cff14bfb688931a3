import type { SandboxState } from '../state/sandbox-state';
import { OAuthError } from '../http/errors';
import { grantScopes } from './scopes';

export type AuthorizeParams = Record<string, string | undefined>;

/**
 * `GET /services/oauth2/authorize` (§1.2): no login page; consent is given at once for the app's configured
 * user (or `login_hint`), and the browser is redirected with `code` and `state`. A sandbox-only parameter
 * `sandbox_consent=deny` makes the user refuse, giving the redirect error Salesforce sends (§1.2).
 * Returns the redirect URL; throws OAuthError when there is no trustworthy redirect URI to send an error to.
 */
export function authorizeRedirect(state: SandboxState, params: AuthorizeParams): string {
  const found = params.client_id ? state.connectedApp(params.client_id) : undefined;
  if (!found) throw new OAuthError('invalid_client_id', 'client identifier invalid');
  const { org, app } = found;
  if (!params.redirect_uri || !app.callbackUrls.includes(params.redirect_uri)) {
    throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  }
  const redirect = new URL(params.redirect_uri);
  const answer = (values: Record<string, string>): string => {
    for (const [key, value] of Object.entries(values)) redirect.searchParams.set(key, value);
    if (params.state !== undefined) redirect.searchParams.set('state', params.state);
    return redirect.toString();
  };
  if (params.response_type !== 'code') {
    return answer({ error: 'unsupported_response_type', error_description: 'response type not supported' });
  }
  if (params.sandbox_consent === 'deny') {
    return answer({ error: 'access_denied', error_description: 'end-user denied authorization' });
  }
  const user = params.login_hint
    ? org.userByUsername(params.login_hint)
    : app.authorizeUser
      ? org.userByRef(app.authorizeUser)
      : undefined;
  if (!user)
    return answer({
      error: 'access_denied',
      error_description: 'user is not admin approved to access this app',
    });
  if (params.code_challenge_method && params.code_challenge_method !== 'S256') {
    return answer({ error: 'invalid_request', error_description: 'unsupported code challenge method' });
  }
  const code = state.sessions.issueCode({
    orgKey: org.key,
    userId: user.id,
    clientId: app.clientId,
    redirectUri: params.redirect_uri,
    scopes: grantScopes(params.scope, app.scopes),
    codeChallenge: params.code_challenge,
  });
  return answer({ code: code.code });
}

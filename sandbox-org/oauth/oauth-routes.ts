import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxState } from '../state/sandbox-state';
import { authenticate } from '../http/authenticate';
import { OAuthError, RestError } from '../http/errors';
import { sendJson } from '../http/reply';
import type { Session } from './session-store';
import { authorizeRedirect } from './authorize-endpoint';
import { identity, userInfo } from './identity';
import { handleTokenRequest, type TokenParams } from './token-endpoint';
import { identityUrl } from './token-response';

type Params = Record<string, string | undefined>;

function formParams(request: FastifyRequest): Params {
  const fromQuery = (request.query ?? {}) as Params;
  const fromBody = typeof request.body === 'object' && request.body !== null ? (request.body as Params) : {};
  return { ...fromQuery, ...fromBody };
}

/** Client credentials may come as `Authorization: Basic base64(id:secret)` instead of form fields (§1.2). */
function withBasicCredentials(request: FastifyRequest, params: TokenParams): TokenParams {
  const match = /^Basic +(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return params;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return params;
  return {
    ...params,
    client_id: decodeURIComponent(decoded.slice(0, colon)),
    client_secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

function sendOAuthError(reply: FastifyReply, error: unknown) {
  if (error instanceof OAuthError) {
    return sendJson(reply, error.status, { error: error.error, error_description: error.description });
  }
  throw error;
}

/** userinfo and the identity URL answer a bad token with 403 `Bad_OAuth_Token` [belief]. */
function withSession(state: SandboxState, hostName: string, reply: FastifyReply, request: FastifyRequest) {
  const token = formParams(request).oauth_token;
  const header = token ? `Bearer ${token}` : request.headers.authorization;
  try {
    return authenticate(state, header, hostName);
  } catch (error) {
    if (!(error instanceof RestError)) throw error;
    void reply.code(403).header('content-type', 'text/plain;charset=UTF-8').send('Bad_OAuth_Token');
    return undefined;
  }
}

/** `/services/oauth2/*` and the identity URL: served by the login host and by every instance (My Domain). */
export function registerOAuthRoutes(
  app: FastifyInstance,
  state: SandboxState,
  hostName: string,
  idTokenKeyPem: string,
) {
  app.get('/services/oauth2/authorize', (request, reply) => {
    try {
      return reply.redirect(authorizeRedirect(state, formParams(request)), 302);
    } catch (error) {
      return sendOAuthError(reply, error);
    }
  });

  app.post('/services/oauth2/token', (request, reply) => {
    try {
      return sendJson(
        reply,
        200,
        handleTokenRequest(
          state,
          withBasicCredentials(request, formParams(request)),
          idTokenKeyPem,
          hostName,
        ),
      );
    } catch (error) {
      return sendOAuthError(reply, error);
    }
  });

  const revoke = (request: FastifyRequest, reply: FastifyReply) => {
    const token = formParams(request).token;
    if (!token || !state.sessions.revoke(token)) {
      return sendJson(reply, 400, {
        error: 'unsupported_token_type',
        error_description: 'this token type is not supported',
      });
    }
    return reply.code(200).send();
  };
  app.post('/services/oauth2/revoke', revoke);
  app.get('/services/oauth2/revoke', revoke);

  // RFC 7662 introspection [belief for the exact field set, §1.3]; needs the app's own credentials.
  app.post('/services/oauth2/introspect', (request, reply) => {
    const params = withBasicCredentials(request, formParams(request));
    const caller = params.client_id ? state.connectedApp(params.client_id) : undefined;
    if (!caller || caller.app.clientSecret !== params.client_secret) {
      return sendJson(reply, 401, {
        error: 'invalid_client',
        error_description: 'invalid client credentials',
      });
    }
    const token = params.token ?? '';
    const org = state.orgs.find((o) => token.startsWith(o.id.slice(0, 15)));
    const session = org && state.sessions.peekSession(token, org.settings.sessionIdleSeconds * 1000);
    if (!org || !session) return sendJson(reply, 200, { active: false });
    const nowSeconds = Math.floor(Date.now() / 1000);
    return sendJson(reply, 200, {
      active: true,
      scope: [...session.scopes].join(' '),
      client_id: session.clientId,
      username: org.userById(session.userId)?.username,
      sub: identityUrl(state, org, session.userId),
      token_type: 'access_token',
      exp: Math.floor(session.lastUsedAt / 1000) + org.settings.sessionIdleSeconds,
      iat: nowSeconds,
      nbf: nowSeconds,
    });
  });

  const answerWith = (describe: (state: SandboxState, session: Session) => unknown) =>
    function (request: FastifyRequest, reply: FastifyReply) {
      const session = withSession(state, hostName, reply, request);
      return session ? sendJson(reply, 200, describe(state, session)) : reply;
    };
  app.get('/services/oauth2/userinfo', answerWith(userInfo));
  app.post('/services/oauth2/userinfo', answerWith(userInfo));
  app.get('/id/:orgId/:userId', answerWith(identity));
}

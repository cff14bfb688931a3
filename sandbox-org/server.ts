import Fastify, { type FastifyInstance } from 'fastify';
import formBody from '@fastify/formbody';
import type { SandboxState } from './state/sandbox-state';
import { LOGIN_HOST } from './state/sandbox-state';
import { registerControlRoutes } from './control/control-routes';
import { registerDataRoutes } from './data-api/data-routes';
import { notFound, OAuthError, restError, RestError } from './http/errors';
import { installLatencyAndFaults } from './http/latency-and-faults';
import { installStandardHeaders } from './http/standard-headers';
import { sendJson } from './http/reply';
import { registerOAuthRoutes } from './oauth/oauth-routes';

export interface HostAppOptions {
  logRequests: boolean;
  idTokenKeyPem: string;
}

/** JSON bodies: empty → undefined, invalid → 400 JSON_PARSER_ERROR in the REST envelope (§6.3). */
function installBodyParsers(app: FastifyInstance) {
  const parseJson = (body: string): unknown => {
    if (body.trim() === '') return undefined;
    try {
      return JSON.parse(body);
    } catch (error) {
      throw restError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${(error as Error).message}`);
    }
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_, body, done) => {
    try {
      done(null, parseJson(String(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  // Clients that omit or mislabel the content type still send JSON to the Data API.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_, body, done) => {
    try {
      done(null, parseJson(String(body)));
    } catch {
      done(null, String(body));
    }
  });
  void app.register(formBody);
}

/** One Fastify app for one port: the login host (OAuth only) or an instance (OAuth + Data API). */
export function buildHostApp(
  state: SandboxState,
  hostName: string,
  options: HostAppOptions,
): FastifyInstance {
  const app = Fastify({ logger: false, keepAliveTimeout: 65_000, bodyLimit: 50 * 1024 * 1024 });
  const host = state.host(hostName);
  installBodyParsers(app);
  installLatencyAndFaults(app, state, host);
  installStandardHeaders(app);
  if (options.logRequests) {
    app.addHook('onResponse', async (request, reply) => {
      process.stdout.write(`[${hostName}] ${request.method} ${request.url} ${reply.statusCode}\n`);
    });
  }
  registerOAuthRoutes(app, state, hostName, options.idTokenKeyPem);
  if (hostName !== LOGIN_HOST) registerDataRoutes(app, state, hostName);
  registerControlRoutes(app, state, host);

  app.setNotFoundHandler((_, reply) => {
    const error = notFound();
    return sendJson(reply, error.status, error.items);
  });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof RestError) return sendJson(reply, error.status, error.items, error.headers);
    if (error instanceof OAuthError)
      return sendJson(reply, error.status, { error: error.error, error_description: error.description });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) console.error(`[sandbox-org ${hostName}] ${request.method} ${request.url}`, error);
    const errorCode = status >= 500 ? 'UNKNOWN_EXCEPTION' : 'INVALID_INPUT';
    return sendJson(reply, status, [{ message: (error as Error).message, errorCode }]);
  });
  return app;
}

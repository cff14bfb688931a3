import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Pages under this prefix (the admin console) bring their own Content-Security-Policy. */
export const OWN_CSP_PREFIX = '/console';

/** Name and value pairs, ready to set. */
type SecurityHeaders = Array<[name: string, value: string]>;

/**
 * helmet's defaults (no sniffing, no framing, HSTS, same-origin policies) and a Content-Security-Policy that keeps
 * the Swagger UI at /docs working (its scripts and styles are served from this origin; it draws some images
 * from data: URLs).
 */
const DEFAULT_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      // Off: the API is also reached over plain HTTP inside a deployment (http://api:3000/docs), where
      // upgrading the page's own requests to HTTPS would break the Swagger UI. TLS is the proxy's job.
      upgradeInsecureRequests: null,
    },
  },
};

/**
 * The headers helmet sets for `options`, worked out once. (@fastify/helmet rebuilds helmet, parsing the CSP,
 * on every request: about 2 % of the API's CPU under the call benchmark.) The directives are static strings, so
 * the headers are the same for every request of a route.
 */
function headersFor(options: HelmetOptions): SecurityHeaders {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => headers.set(name, value),
    removeHeader: () => undefined,
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return [...headers];
}

/**
 * Security headers on every response, computed once per route when it is registered, applied by one cheap
 * hook. Routes under /console get every header except this CSP: the console sets its own. Any route may
 * replace the options with `config.helmet` (helmet's options, merged over these), e.g. Nest's
 * `@RouteConfig({ helmet: { contentSecurityPolicy: { directives: { ... } } } })`.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const defaultHeaders = headersFor(DEFAULT_OPTIONS);
  const consoleHeaders = headersFor({ ...DEFAULT_OPTIONS, contentSecurityPolicy: false });
  fastify.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as Record<string, unknown>;
    const own = config.helmet as HelmetOptions | undefined;
    const securityHeaders = own
      ? headersFor(Object.assign({}, DEFAULT_OPTIONS, own))
      : route.url.startsWith(OWN_CSP_PREFIX)
        ? consoleHeaders
        : defaultHeaders;
    route.config = { ...config, securityHeaders };
  });
  // Unmatched URLs (404) have no route of their own: they get the defaults.
  const headersOf = (request: FastifyRequest) =>
    (request.routeOptions.config as { securityHeaders?: SecurityHeaders }).securityHeaders ?? defaultHeaders;
  fastify.addHook('onRequest', (request, reply, done) => {
    // On the Node response, as helmet does: routes that hijack the reply (the MCP endpoint) keep them too.
    for (const [name, value] of headersOf(request)) reply.raw.setHeader(name, value);
    done();
  });
}

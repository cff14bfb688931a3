import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** Pages under this prefix (the admin console) bring their own Content-Security-Policy. */
export const OWN_CSP_PREFIX = '/console';

/**
 * Security headers on every response (@fastify/helmet): helmet's defaults (no sniffing, no framing, HSTS,
 * same-origin policies) and a Content-Security-Policy that keeps the Swagger UI at /docs working (its scripts
 * and styles are served from this origin; it draws some images from data: URLs).
 *
 * Routes under /console get every header except this CSP: the console sets its own. Any route may also
 * replace the policy with the `helmet` route option, e.g. Nest's `@RouteConfig({ helmet: { contentSecurityPolicy:
 * { directives: { ... } } } })`, or a Fastify route's `{ helmet: { ... } }`.
 */
export async function registerSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as Record<string, unknown>;
    const hasOwnHelmetOptions = route.helmet !== undefined || config.helmet !== undefined;
    if (route.url.startsWith(OWN_CSP_PREFIX) && !hasOwnHelmetOptions) {
      route.config = { ...config, helmet: { contentSecurityPolicy: false } };
    }
  });
  await fastify.register(helmet, {
    global: true,
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
  });
}

import type { FastifyInstance } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The id of the HTTP request being handled, if any (jobs and start-up code have none). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * Runs the rest of each request (Nest's guards, pipes, handler and exception filter) inside a context holding its
 * request id, so code far from the controller (domain event listeners writing audit entries) knows which request
 * caused it without passing it through every call. A preHandler hook, because it comes after the body is read:
 * body parsing resumes on the socket's events, outside a context entered earlier. A plain hook rather than a Nest
 * interceptor spares every request an rxjs Observable.
 */
export function bindRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, _reply, done) => storage.run({ requestId: request.id }, done));
}

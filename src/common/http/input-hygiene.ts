import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Problem } from '../errors/domain-error';
import { sendErrorEnvelope } from '../errors/send-error';
import { CommonErrorCode } from '../errors/common-error-code';
import { findUnsafeText } from './unsafe-text';

/**
 * One rule for every route, decided at the edge: a NUL character or a lone UTF-16 surrogate anywhere in the
 * path parameters, the query or the JSON body (values and keys) is refused with 422 naming the field, before
 * guards, pipes or handlers run. Postgres refuses both (22021, 22P05) and Salesforce would store garbage, so
 * no such string may reach a query. Nothing is stripped: free text is refused too, so what is stored is
 * exactly what the caller sent (README, "Input rules").
 */
export function refuseUnsafeText(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    const problem = firstUnsafeInput(request);
    if (!problem) return done();
    sendErrorEnvelope(request, reply, {
      code: CommonErrorCode.ValidationFailed,
      message: problem.message,
      problems: [problem],
    });
  });
}

function firstUnsafeInput(request: FastifyRequest): Problem | undefined {
  const params = (request.params ?? {}) as Record<string, unknown>;
  return (
    Object.entries(params)
      .map(([name, value]) => findUnsafeText(value, name))
      .find(Boolean) ??
    findUnsafeText(request.query) ??
    findUnsafeText(request.body)
  );
}

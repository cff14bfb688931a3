import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from './domain-error';
import type { ErrorCode } from './error-code';
import type { ErrorEnvelope } from './error-envelope';
import { httpStatusOf } from './http-status';

/** What a refusal says; its status comes from the code (http-status.ts). */
export interface Refusal {
  code: ErrorCode;
  message: string;
  problems?: Problem[];
}

/** The envelope of a refusal, with the status its code maps to and the request's id. */
export function errorEnvelopeOf(requestId: string, refusal: Refusal): ErrorEnvelope {
  return { statusCode: httpStatusOf(refusal.code), ...refusal, requestId };
}

/**
 * Answers with the error envelope from outside Nest's exception filter: Fastify hooks and plugins that refuse a
 * request before it reaches a controller (hostile text, shedding, framework errors) speak the same shape.
 */
export function sendErrorEnvelope(request: FastifyRequest, reply: FastifyReply, refusal: Refusal): void {
  const envelope = errorEnvelopeOf(request.id, refusal);
  void reply.status(envelope.statusCode).type('application/json; charset=utf-8').send(envelope);
}

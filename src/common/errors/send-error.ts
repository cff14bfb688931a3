import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorEnvelope } from './error-envelope';

type EnvelopeWithoutId = Omit<ErrorEnvelope, 'requestId'>;

/** The envelope with the request's id, ready to send. */
export function withRequestId(request: FastifyRequest, envelope: EnvelopeWithoutId): ErrorEnvelope {
  return { ...envelope, requestId: request.id };
}

/**
 * Answers with the error envelope from outside Nest's exception filter: Fastify hooks and plugins that refuse a
 * request before it reaches a controller (hostile text, shedding, framework errors) speak the same shape.
 */
export function sendErrorEnvelope(
  request: FastifyRequest,
  reply: FastifyReply,
  envelope: EnvelopeWithoutId,
): void {
  void reply
    .status(envelope.statusCode)
    .type('application/json; charset=utf-8')
    .send(withRequestId(request, envelope));
}

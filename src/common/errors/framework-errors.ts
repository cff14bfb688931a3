import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_RESPONSE_HEADER } from '../http/request-id';
import { CommonErrorCode } from './common-error-code';
import { sendErrorEnvelope } from './send-error';

/**
 * Errors Fastify raises while routing, before any hook or Nest code runs: a path parameter longer than the
 * router allows (414) or a URL that does not decode (bad percent-encoding, 400). Answered with the envelope.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  void reply.header(REQUEST_ID_RESPONSE_HEADER, request.id);
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  sendErrorEnvelope(request, reply, {
    code: tooLong ? CommonErrorCode.PathParameterTooLong : CommonErrorCode.MalformedRequest,
    message: tooLong
      ? `A path parameter is longer than ${MAX_PATH_PARAMETER_LENGTH} characters`
      : 'The URL is not valid (bad percent-encoding)',
  });
}

/** The longest path parameter the router accepts: the longest id of the contract, a callId (api.md). */
export const MAX_PATH_PARAMETER_LENGTH = 128;

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../../database/database-unavailable';
import { CommonErrorCode } from './common-error-code';
import { DomainError } from './domain-error';
import type { ErrorEnvelope } from './error-envelope';
import { httpStatusOf } from './http-status';

/** The code of a framework error (Nest's HttpException), which carries only a status. */
const CODE_BY_HTTP_STATUS: Readonly<Record<number, CommonErrorCode>> = {
  // Nest hands Fastify's parser errors (bad JSON, empty JSON body) over as plain 400s.
  400: CommonErrorCode.MalformedRequest,
  401: CommonErrorCode.Unauthenticated,
  403: CommonErrorCode.Forbidden,
  404: CommonErrorCode.NotFound,
  405: CommonErrorCode.MethodNotAllowed,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  415: CommonErrorCode.UnsupportedMediaType,
  422: CommonErrorCode.UnprocessableEntity,
  429: CommonErrorCode.TooManyRequests,
  503: CommonErrorCode.ServiceUnavailable,
};

/** Seconds a client should wait before retrying a request refused because Postgres is unreachable. */
const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * Turns every error into the stable envelope: no stack, no ORM detail, the request id echoed.
 * Postgres unreachable or restarting is a 503 with Retry-After: the client may retry (a write already recorded
 * is finished by the outbox, never doubled); other unexpected errors are logged in full and answered with a bare 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ err: exception }, 'database unavailable; answered 503');
      const code = CommonErrorCode.DatabaseUnavailable;
      const envelope: ErrorEnvelope = {
        statusCode: httpStatusOf(code),
        code,
        message: 'The service cannot reach its database right now; retry shortly',
        requestId: request.id,
      };
      void reply
        .status(envelope.statusCode)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send(envelope);
      return;
    }
    const envelope = this.toEnvelope(exception);
    envelope.requestId = request.id;
    if (envelope.statusCode >= 500 && !(exception instanceof HttpException)) {
      this.logger.error({ err: exception }, 'unhandled error');
    }
    void reply.status(envelope.statusCode).send(envelope);
  }

  private toEnvelope(exception: unknown): ErrorEnvelope {
    if (exception instanceof DomainError) return toErrorEnvelope(exception);
    if (exception instanceof HttpException) return fromHttpException(exception);
    const code = CommonErrorCode.InternalError;
    return { statusCode: httpStatusOf(code), code, message: 'Internal server error' };
  }
}

/** A DomainError's envelope (without the request id): its code, the status the code maps to, its problems. */
export function toErrorEnvelope(error: DomainError): ErrorEnvelope {
  return {
    statusCode: httpStatusOf(error.code),
    code: error.code,
    message: error.message,
    ...(error.problems?.length ? { problems: error.problems } : {}),
  };
}

function fromHttpException(exception: HttpException): ErrorEnvelope {
  const statusCode = exception.getStatus();
  const body = exception.getResponse();
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const message =
    typeof fields.message === 'string' ? fields.message : typeof body === 'string' ? body : exception.message;
  return {
    statusCode,
    code: typeof fields.code === 'string' ? fields.code : (CODE_BY_HTTP_STATUS[statusCode] ?? 'ERROR'),
    message,
    ...(Array.isArray(fields.problems) ? { problems: fields.problems as ErrorEnvelope['problems'] } : {}),
  };
}

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../../database/database-unavailable';
import { DomainError } from './domain-error';
import type { ErrorEnvelope } from './error-envelope';

const HTTP_STATUS_CODES: Record<number, string> = {
  // Nest hands Fastify's parser errors (bad JSON, empty JSON body) over as plain 400s.
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
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
      const envelope: ErrorEnvelope = {
        statusCode: 503,
        code: 'DATABASE_UNAVAILABLE',
        message: 'The service cannot reach its database right now; retry shortly',
        requestId: request.id,
      };
      void reply.status(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS)).send(envelope);
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
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        code: exception.code,
        message: exception.message,
        ...(exception.problems?.length ? { problems: exception.problems } : {}),
      };
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' };
  }
}

function fromHttpException(exception: HttpException): ErrorEnvelope {
  const statusCode = exception.getStatus();
  const body = exception.getResponse();
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const message =
    typeof fields.message === 'string' ? fields.message : typeof body === 'string' ? body : exception.message;
  return {
    statusCode,
    code: typeof fields.code === 'string' ? fields.code : (HTTP_STATUS_CODES[statusCode] ?? 'ERROR'),
    message,
    ...(Array.isArray(fields.problems) ? { problems: fields.problems as ErrorEnvelope['problems'] } : {}),
  };
}

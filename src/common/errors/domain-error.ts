import { CommonErrorCode } from './common-error-code';
import type { ErrorCode } from './error-code';

/** One thing wrong with a request, pointing at the spot (a field path, an intent, a target). */
export interface Problem {
  field?: string;
  code?: string;
  message: string;
}

/**
 * An error the API answers on purpose: a stable upper-snake `code` from its module's enum, and optionally every
 * problem found. Feature modules throw these; the global filter turns them into the error envelope, with the
 * HTTP status the code maps to (http-status.ts).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems?: Problem[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(CommonErrorCode.NotFound, `${what} not found`);
  }
}

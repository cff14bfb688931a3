/** One thing wrong with a request, pointing at the spot (a field path, an intent, a target). */
export interface Problem {
  field?: string;
  code?: string;
  message: string;
}

/**
 * An error the API answers on purpose: a stable upper-snake `code`, the HTTP status it maps to, and optionally
 * every problem found. Feature modules throw these; the global filter turns them into the error envelope.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems?: Problem[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(404, 'NOT_FOUND', `${what} not found`);
  }
}

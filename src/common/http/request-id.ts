import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_RESPONSE_HEADER = 'X-Request-Id';
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's id: the caller's X-Request-Id when it is sane, otherwise a new UUID. Kept on the raw request
 * too, so the HTTP framework, the log lines and the error envelope all carry the same id.
 */
export function pickRequestId(request: IncomingMessage): string {
  const raw = request as IncomingMessage & { id?: unknown };
  if (typeof raw.id === 'string') return raw.id;
  const incoming = request.headers['x-request-id'];
  const requestId =
    typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  raw.id = requestId;
  return requestId;
}

/**
 * Whether an error means PostgreSQL could not be reached or is restarting (not that a statement was wrong):
 * the connection was refused, reset or timed out, the server is shutting down or starting up (SQLSTATE
 * 57P01-57P03), or a connection exception (class 08) or too many connections (53300). Such a failure says
 * nothing about the request: it is answered 503 with Retry-After, and a job hit by it is not a failed write.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  // TypeORM wraps the driver's error (`driverError`); Node wraps causes (`cause`).
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
      return true;
    if (typeof message === 'string' && LOST_CONNECTION_MESSAGES.test(message)) return true;
    const next = current as { driverError?: unknown; cause?: unknown };
    current = next.driverError ?? next.cause;
  }
  return false;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
const UNAVAILABLE_SQLSTATE = /^(08\w{3}|57P0[123]|53300)$/;
/** What node-postgres says when a connection dies under it or the pool cannot open one in time. */
const LOST_CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

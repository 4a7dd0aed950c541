// A request that failed because Postgres or Redis is out of reach is not the server's bug: it is
// 503 with Retry-After, so clients and load balancers retry instead of reporting a crash.

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// SQLSTATE 57P01–57P03: the server is shutting down, crashed or starting; class 08: connection exceptions.
const POSTGRES_UNAVAILABLE = /^(57P0[123]|08...)$/;
const LOST_CONNECTION =
  /Connection terminated|connection timeout|Connection is closed|ended by the server|MaxRetriesPerRequest/i;

export function isServiceUnavailable(error: unknown): boolean {
  // Duck-typed rather than `instanceof Error`: socket errors are made by Node itself, which need
  // not share this module's realm (jest's sandbox, for one).
  let cause: unknown = error;
  for (let depth = 0; typeof cause === 'object' && cause !== null && depth < 5; depth += 1) {
    const { code, message, name } = cause as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code))) {
      return true;
    }
    if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

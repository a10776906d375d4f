import { OpsError } from '@opsmcp/core';

/**
 * A fault in the server's own code (a TypeError such as "x is not a constructor", a
 * ReferenceError …), not an answer of the cloud: SDK and network errors carry a code, a status or
 * request metadata, which these do not.
 */
export function isProgrammingError(error: unknown): error is Error {
  if (!(error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError)) return false;
  const e = error as Error & { code?: unknown; $metadata?: unknown; statusCode?: unknown; cause?: unknown };
  return e.code === undefined && e.$metadata === undefined && e.statusCode === undefined && e.cause === undefined;
}

/** A programming error as INTERNAL: never retried, never presented as the cloud's trouble. */
export function internalError(error: Error, what: string): OpsError {
  return new OpsError('INTERNAL', `${what} failed inside the server: ${error.name}: ${error.message.slice(0, 200)}`, {
    retryable: false,
    hint: 'This is a fault of the server, not of the cloud; the detail is in the server log.',
    cause: error,
  });
}

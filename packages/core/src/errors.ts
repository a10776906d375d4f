/**
 * One error type for every server. A tool throws `OpsError` (or anything else, which becomes
 * INTERNAL); core turns it into an MCP error result with a stable code and a hint that tells
 * the model what to do next.
 */

export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'CREDENTIALS_MISSING',
  'INVALID_CREDENTIALS',
  'PERMISSION_DENIED',
  'RESOURCE_NOT_FOUND',
  'PROVIDER_NOT_AVAILABLE',
  'WRITE_DISABLED',
  'CONFIRMATION_REQUIRED',
  'CONFIRMATION_FAILED',
  'OPERATION_NOT_SUPPORTED',
  'RATE_LIMITED',
  'TIMEOUT',
  'UPSTREAM_ERROR',
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What the upstream API said, kept so an operator can quote the request id to the provider. */
export interface UpstreamInfo {
  code?: string;
  status?: number;
  requestId?: string;
}

export interface OpsErrorOptions {
  hint?: string;
  retryable?: boolean;
  upstream?: UpstreamInfo;
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'TIMEOUT', 'PROVIDER_NOT_AVAILABLE']);

export class OpsError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly upstream: UpstreamInfo | undefined;

  constructor(code: ErrorCode, message: string, options: OpsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OpsError';
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.upstream = options.upstream;
  }
}

export function isOpsError(value: unknown): value is OpsError {
  return value instanceof OpsError;
}

/** The text of an error result: `CODE: message`, the upstream facts, then the hint. */
export function formatErrorText(error: OpsError, options: { retryNote?: boolean } = {}): string {
  const lines = [`${error.code}: ${error.message}`];
  const up = error.upstream;
  if (up && (up.code || up.status || up.requestId)) {
    const parts: string[] = [];
    if (up.code) parts.push(`code ${up.code}`);
    if (up.status) parts.push(`HTTP ${up.status}`);
    if (up.requestId) parts.push(`request id ${up.requestId}`);
    lines.push(`Upstream: ${parts.join(', ')}`);
  }
  if (error.hint) lines.push(`Hint: ${error.hint}`);
  if (error.retryable && options.retryNote !== false) lines.push('This error is transient; the call may be retried.');
  return lines.join('\n');
}

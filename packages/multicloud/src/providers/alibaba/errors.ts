import { OpsError } from '@opsmcp/core';
import { internalError, isProgrammingError } from '../errors.js';

/** The parts of an ECS SDK error read here: `ClientError` (4xx), `ServerError` (5xx), `ThrottlingError`. */
interface SdkError {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  message?: unknown;
  data?: unknown;
}

const INVALID_CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidSecurityToken.Expired',
  'InvalidSecurityToken.Malformed',
  'InvalidSecurityToken.MismatchWithAccessKey',
  'InvalidCredentials',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

const text = (value: unknown): string | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim();
  return s && s !== 'undefined' && s !== 'null' ? s : undefined;
};

/** True when retrying a read could help: throttling, a 5xx, a timeout or a connection that failed. */
export function isRetryableAlibabaError(error: unknown): boolean {
  const e = (error ?? {}) as SdkError;
  const code = text(e.code) ?? '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  return (
    code.includes('Throttling') ||
    (status !== undefined && status >= 500) ||
    (status === undefined && NETWORK_CODES.has(code)) ||
    e.name === 'RequestTimeoutError'
  );
}

/** An ECS SDK error as a core error, with the ECS code and RequestId. */
export function mapAlibabaError(error: unknown, what: string, state?: string): OpsError {
  if (error instanceof OpsError) return error;
  if (isProgrammingError(error)) return internalError(error, what);
  const e = (error ?? {}) as SdkError;
  const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : {};
  const code = text(data.Code) ?? text(e.code) ?? 'Error';
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const requestId = text(data.RequestId) ?? text(e.requestId);
  const upstreamText = (text(data.Message) ?? text(e.message) ?? String(error)).slice(0, 300);
  const upstream = { code, ...(status ? { status } : {}), ...(requestId ? { requestId } : {}) };
  const message = `${what} failed: ${upstreamText}`;
  const options = { upstream, cause: error };

  if (e.name === 'RequestTimeoutError' || /^(Read|Connect)Timeout\(/.test(String(e.message ?? ''))) {
    return new OpsError('TIMEOUT', `${what} did not answer in time.`, options);
  }
  if (status === undefined && NETWORK_CODES.has(code)) {
    return new OpsError('UPSTREAM_ERROR', `${what} could not reach ECS (${code}).`, { ...options, retryable: true });
  }
  if (INVALID_CREDENTIALS.has(code)) {
    return new OpsError('INVALID_CREDENTIALS', message, {
      ...options,
      hint: 'Check ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (and the STS token for temporary keys).',
    });
  }
  if (code.startsWith('Forbidden') || code === 'NoPermission') {
    return new OpsError('PERMISSION_DENIED', message, {
      ...options,
      hint: 'The RAM policy needs ecs:DescribeInstances, ecs:StartInstance, ecs:StopInstance, ecs:RebootInstance and ecs:DescribeInstanceMonitorData.',
    });
  }
  if (code === 'IncorrectInstanceStatus' || code.startsWith('IncorrectInstanceStatus.')) {
    return new OpsError(
      'OPERATION_NOT_SUPPORTED',
      `${what} was refused: the instance's state${state ? ` (${state})` : ''} does not allow it.`,
      { ...options, hint: 'Read the instance again; start needs Stopped, stop and reboot need Running.' },
    );
  }
  if (code.endsWith('.NotFound') || code.startsWith('InvalidInstanceId')) {
    return new OpsError('RESOURCE_NOT_FOUND', message, options);
  }
  if (code.includes('Throttling')) return new OpsError('RATE_LIMITED', message, options);
  if (code.startsWith('Invalid') || code.startsWith('MissingParameter')) {
    return new OpsError('INVALID_ARGUMENT', message, options);
  }
  return new OpsError('UPSTREAM_ERROR', message, { ...options, retryable: (status ?? 0) >= 500 });
}

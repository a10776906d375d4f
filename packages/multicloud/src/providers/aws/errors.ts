import { OpsError } from '@opsmcp/core';
import { internalError, isProgrammingError } from '../errors.js';

interface AwsSdkError {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const INVALID_CREDENTIALS = new Set([
  'AuthFailure',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'IncompleteSignature',
  'InvalidAccessKeyId',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
]);
const PERMISSION_DENIED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'OptInRequired']);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
]);

/** An AWS SDK error as a core error, with the AWS error code and request id. */
export function mapAwsError(error: unknown, what: string): OpsError {
  if (error instanceof OpsError) return error;
  if (isProgrammingError(error)) return internalError(error, what);
  const e = (error ?? {}) as AwsSdkError;
  const code = e.Code ?? e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  const upstream = { code, ...(status ? { status } : {}), ...(requestId ? { requestId } : {}) };
  const message = `${what} failed: ${(e.message ?? String(error)).slice(0, 300)}`;
  const options = { upstream, cause: error };

  if (code === 'AbortError' || code === 'TimeoutError' || code === 'RequestTimeout') {
    return new OpsError('TIMEOUT', `${what} did not answer in time.`, options);
  }
  if (code === 'CredentialsProviderError') {
    return new OpsError('CREDENTIALS_MISSING', `${what}: the AWS SDK found no credentials.`, {
      ...options,
      hint: 'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where an AWS role is available.',
    });
  }
  if (INVALID_CREDENTIALS.has(code)) {
    return new OpsError('INVALID_CREDENTIALS', message, {
      ...options,
      hint: 'Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys).',
    });
  }
  if (PERMISSION_DENIED.has(code)) {
    return new OpsError('PERMISSION_DENIED', message, {
      ...options,
      hint: 'The IAM policy needs ec2:DescribeInstances, ec2:DescribeVolumes and cloudwatch:GetMetricData.',
    });
  }
  if (code.endsWith('.NotFound')) return new OpsError('RESOURCE_NOT_FOUND', message, options);
  if (code.endsWith('.Malformed') || code === 'InvalidParameterValue' || code === 'InvalidParameterCombination') {
    return new OpsError('INVALID_ARGUMENT', message, options);
  }
  if (THROTTLED.has(code) || status === 429) return new OpsError('RATE_LIMITED', message, options);
  if (status === undefined) {
    return new OpsError(
      'UPSTREAM_ERROR',
      `${what} could not reach AWS: ${(e.message ?? String(error)).slice(0, 200)}`,
      {
        ...options,
        retryable: true,
      },
    );
  }
  return new OpsError('UPSTREAM_ERROR', message, { ...options, retryable: status >= 500 });
}

import { type ErrorCode, OpsError } from '@opsmcp/core';

/** `ResponseMetadata.Error` as the gateway and the RocketMQ service send it. */
export interface VolcengineApiError {
  Code?: string;
  CodeN?: number;
  Message?: string;
}

const CREDENTIAL_CODES = new Set([
  'invalidaccesskey',
  'signaturedoesnotmatch',
  'invalidsecrettoken',
  'missingauthenticationtoken',
  'missingsignature',
  'invalidauthorization',
  'invalidcredential',
]);
const PERMISSION_CODES = new Set([
  'accessdenied',
  'lackpolicy',
  'lackprojectpolicy',
  'operationdenied.accountnotauthorized',
]);
const THROTTLING_CODES = new Set([
  'flowlimitexceeded',
  'accountflowlimitexceeded',
  'requestlimitexceeded',
  'throttling',
  'throttlingexception',
  'requestthrottled',
  'toomanyrequests',
  'toomanyrequestsexception',
]);
const TRANSIENT_CODES = new Set([
  'internalerror',
  'serverinternalerror',
  'internalservicetimeout',
  'failtoconnect',
  'serviceunavailable',
  'serviceunavailabletemp',
  'resourceisbusy',
]);

/** RocketMQ mixes `.` and `_` in its codes (`InvalidInstanceId.NotFound` / `_NotFound`). */
function normalise(code: string): string {
  return code.toLowerCase().replace(/_/g, '.');
}

export function isThrottling(code: string | undefined, status: number): boolean {
  return status === 429 || (code !== undefined && THROTTLING_CODES.has(normalise(code)));
}

/** Whether a read may be sent again: throttling and server-side failures. */
export function isTransient(code: string | undefined, status: number): boolean {
  return isThrottling(code, status) || status >= 500 || (code !== undefined && TRANSIENT_CODES.has(normalise(code)));
}

/** Turns an API error into the core error the model sees, keeping the upstream code and request id. */
export function mapApiError(
  action: string,
  status: number,
  error: VolcengineApiError | undefined,
  requestId: string | undefined,
): OpsError {
  const code = error?.Code;
  const key = code ? normalise(code) : '';
  const message = error?.Message?.trim() || `HTTP ${status}`;
  const upstream = { code, status, requestId };
  const make = (kind: ErrorCode, text: string, hint?: string, retryable?: boolean) =>
    new OpsError(kind, text, { hint, upstream, retryable });

  if (CREDENTIAL_CODES.has(key)) {
    return make(
      'INVALID_CREDENTIALS',
      `Volcengine rejected the credentials for ${action}: ${message}`,
      'Check VOLCENGINE_ACCESS_KEY / VOLCENGINE_SECRET_KEY (or the request header credentials); STS keys need their session token.',
    );
  }
  if (PERMISSION_CODES.has(key) || (status === 403 && key.startsWith('accessdenied'))) {
    return make(
      'PERMISSION_DENIED',
      `Not allowed to call ${action}: ${message}`,
      `Grant the caller's IAM user or role the action rocketmq:${action}.`,
    );
  }
  // ServiceNotFound means a wrong signing service, not a missing resource.
  if (key.endsWith('notfound') && key !== 'servicenotfound') {
    return make(
      'RESOURCE_NOT_FOUND',
      `${action}: ${message}`,
      'Check the ID and the region (RegionId or VOLCENGINE_REGION): instances are only visible in their own region. DescribeInstances lists them.',
    );
  }
  if (isThrottling(code, status)) {
    return make(
      'RATE_LIMITED',
      `${action} was throttled by Volcengine: ${message}`,
      'Wait a few seconds and call again.',
      true,
    );
  }
  if (key === 'operationdenied.versionunsupported') {
    return make(
      'OPERATION_NOT_SUPPORTED',
      `${action}: ${message}`,
      'This instance version does not support the operation.',
    );
  }
  if (key === 'invalidtimestamp') {
    return make(
      'UPSTREAM_ERROR',
      `${action}: ${message}`,
      "The local clock is off; sync it (X-Date must be close to Volcengine's time).",
    );
  }
  const transient = isTransient(code, status);
  return make(
    'UPSTREAM_ERROR',
    `${action} failed${code ? ` with ${code}` : ''}: ${message}`,
    transient
      ? undefined
      : 'Check the arguments against the tool description; quote the request id to Volcengine support if it persists.',
    transient,
  );
}

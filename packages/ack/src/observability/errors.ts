import { OpsError, type UpstreamInfo } from '@opsmcp/core';

/**
 * Turns what the Alibaba Cloud SDKs throw (openapi-core's ClientError/ServerError/ThrottlingError,
 * the SLS SDK's plain Error with `code` and `data{httpCode, requestId}`, Node network errors,
 * httpx timeouts) into core errors that name the service, the operation, the upstream code
 * and the request id.
 */

export interface FailedCall {
  /** `SLS`, `ARMS`, `STS`, `CS`. */
  service: string;
  action: string;
  read: boolean;
  /** Host the call went to, for network messages. */
  endpoint: string;
  /** The RAM action a denial most likely lacks, e.g. `log:GetLogStoreLogs`. */
  ramAction: string;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  message?: unknown;
  data?: unknown;
  retryAfter?: unknown;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'ETIMEDOUT',
]);

const CREDENTIAL_CODES =
  /^(InvalidAccessKeyId|SignatureDoesNotMatch|SignatureNotMatch|IncompleteSignature|InvalidSecurityToken|InvalidCredentials)/;

function text(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim();
  return s && s !== 'undefined' && s !== 'null' ? s : undefined;
}

function statusOf(e: SdkErrorShape): number | undefined {
  if (typeof e.statusCode === 'number') return e.statusCode;
  const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : undefined;
  const status = Number(data?.httpCode ?? data?.statusCode);
  return Number.isInteger(status) && status > 0 ? status : undefined;
}

function requestIdOf(e: SdkErrorShape): string | undefined {
  const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : undefined;
  return text(e.requestId) ?? text(data?.requestId) ?? text(data?.RequestId);
}

/** The upstream's own message, without the SDK's wrapping, at most 300 characters. */
function messageOf(e: SdkErrorShape): string | undefined {
  const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : undefined;
  let raw = text(data?.errorMessage) ?? text(data?.message) ?? text(data?.Message);
  if (!raw && typeof e.message === 'string') {
    // The SLS SDK's message is `<errorMessage>` or `code: <status>, <message> request id: …`.
    raw = e.message.replace(/^[^:]*: code: \d+, /, '').replace(/ request id: \S+$/, '');
  }
  if (!raw) return undefined;
  return raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
}

export function isTimeoutError(error: unknown): boolean {
  const e = error as SdkErrorShape | undefined;
  return e?.name === 'RequestTimeoutError' || /^(Read|Connect)Timeout\(/.test(String(e?.message ?? ''));
}

/** Throttling, 5xx, a reset or refused connection, a timeout: worth another attempt of a read. */
export function isRetryableSdkError(error: unknown): boolean {
  if (error instanceof OpsError) return false;
  const e = (error ?? {}) as SdkErrorShape;
  const status = statusOf(e);
  const code = text(e.code) ?? '';
  if (/Throttling|QuotaExceed|ServerBusy|RequestTimeout/i.test(code) || status === 429) return true;
  if (status !== undefined) return status >= 500 && status !== 501;
  return (NETWORK_CODES.has(code) && code !== 'ENOTFOUND') || isTimeoutError(error);
}

export function mapSdkError(error: unknown, call: FailedCall): OpsError {
  if (error instanceof OpsError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const status = statusOf(e);
  const code = text(e.code);
  const requestId = requestIdOf(e);
  const upstream: UpstreamInfo = {
    ...(code ? { code } : {}),
    ...(status ? { status } : {}),
    ...(requestId ? { requestId } : {}),
  };
  const said = status !== undefined ? messageOf(e) : undefined;
  const suffix = said ? `: ${said}` : '.';
  const what = `${call.service} ${call.action}`;

  if (status === undefined) {
    if (/unable to get credentials/i.test(String(e.message ?? ''))) {
      return new OpsError(
        'CREDENTIALS_MISSING',
        `${what}: the default credential chain found no Alibaba Cloud credentials.`,
        {
          hint: 'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or a profile, RRSA or an instance RAM role).',
        },
      );
    }
    if (isTimeoutError(error)) {
      return new OpsError('TIMEOUT', `${what} got no answer from ${call.endpoint} in time.`, {
        retryable: call.read,
        hint: 'Try again; raise API_TIMEOUT if the service is slow from here.',
      });
    }
    if (code && NETWORK_CODES.has(code)) {
      return new OpsError('PROVIDER_NOT_AVAILABLE', `${what} could not reach ${call.endpoint} (${code}).`, {
        retryable: call.read && code !== 'ENOTFOUND',
        hint: `Check the network path to ${call.endpoint} and the ${call.service} endpoint setting.`,
      });
    }
    return new OpsError('INTERNAL', `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (/Throttling|QuotaExceed/i.test(code ?? '') || status === 429) {
    return new OpsError('RATE_LIMITED', `${what} was throttled (HTTP ${status})${suffix}`, {
      upstream,
      hint: 'Wait a little before calling again.',
    });
  }
  if (status === 401 || CREDENTIAL_CODES.test(code ?? '')) {
    return new OpsError('INVALID_CREDENTIALS', `${what}: ${call.service} did not accept the credentials${suffix}`, {
      upstream,
      hint: 'Check the AccessKey pair (and STS token) the server or the request uses: wrong, disabled or expired.',
    });
  }
  if (status === 403 || /Forbidden|NoPermission|NotAuthorized|AccessDenied|Unauthorized/i.test(code ?? '')) {
    return new OpsError('PERMISSION_DENIED', `${what} was denied${suffix}`, {
      upstream,
      hint: `The credentials are valid but lack the RAM permission ${call.ramAction}; grant it or use other credentials.`,
    });
  }
  if (status === 404 || /NotExist|NotFound/i.test(code ?? '')) {
    return new OpsError('RESOURCE_NOT_FOUND', `${what} found nothing${suffix}`, {
      upstream,
      hint: 'Check the cluster id, and that the cluster collects these logs or metrics (log project, logstore, Prometheus instance).',
    });
  }
  if (status >= 500) {
    return new OpsError('UPSTREAM_ERROR', `${what} failed on the ${call.service} side (HTTP ${status})${suffix}`, {
      upstream,
      retryable: call.read,
      hint: 'Try again in a moment; quote the request id to Alibaba Cloud support if it persists.',
    });
  }
  if (status === 400 || /^(Invalid|Missing|Parameter|IllegalParam|ParameterInvalid)/i.test(code ?? '')) {
    return new OpsError('INVALID_ARGUMENT', `${what} rejected the request (HTTP ${status})${suffix}`, {
      upstream,
      hint: 'Correct the argument the message names (query syntax, logstore, time range) and call again.',
    });
  }
  return new OpsError('UPSTREAM_ERROR', `${what} failed (HTTP ${status})${suffix}`, { upstream, retryable: false });
}

import { OpsError, type UpstreamInfo } from '@opsmcp/core';

/**
 * Turns what the Alibaba Cloud SDKs throw into core errors that name the service, the operation,
 * the upstream code and the request id. openapi-core (CS, ARMS, STS) throws `ClientError` (4xx),
 * `ServerError` (5xx) and `ThrottlingError` with `code`, `statusCode`, `requestId` and the parsed
 * body in `data`; the SLS SDK throws a plain Error with `code` and `data{httpCode, requestId,
 * errorMessage}`; network failures are Node errors with a `code` (ECONNREFUSED …) and timeouts a
 * `RequestTimeoutError` or a `ReadTimeout(…)` message.
 */

/** What one failed call was, for the message and the hint. */
export interface AlibabaCall {
  /** `CS`, `SLS`, `ARMS`, `STS`; its endpoint setting is `ACK_<service>_ENDPOINT`. */
  service: string;
  action: string;
  /** Read calls may be retried; a write whose outcome is unknown must not be. */
  read: boolean;
  /** Host the call went to, for network messages. */
  endpoint: string;
  /** What a denial most likely lacks, e.g. `log:GetLogStoreLogs`; default `<service>:<action>`. */
  ramAction?: string;
  /** Where to look when the answer is "not found": which ids to check, which tools list what exists. */
  notFoundHint?: string;
  /** How to find out whether a write whose outcome is unknown took effect. */
  checkOutcomeHint?: string;
}

/** The parts of an SDK error this module reads. */
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
  'UND_ERR_SOCKET',
]);

/** A name that does not resolve stays unresolved on a retry moments later (EAI_AGAIN is the transient one). */
const PERMANENT_NETWORK_CODE = 'ENOTFOUND';

/** Prefixes cover the suffixed variants (`InvalidAccessKeyId.NotFound`, `InvalidSecurityToken.Expired` …). */
const CREDENTIAL_CODES =
  /^(InvalidAccessKeyId|SignatureDoesNotMatch|SignatureNotMatch|IncompleteSignature|InvalidSecurityToken|InvalidCredentials)/;

const THROTTLING_CODES = /Throttling|QuotaExceed/i;

const MESSAGE_LIMIT = 300;

/** A text value, or undefined for empty values and the SDK's `"undefined"` placeholder. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim();
  return s && s !== 'undefined' && s !== 'null' ? s : undefined;
}

function dataOf(e: SdkErrorShape): Record<string, unknown> | undefined {
  return e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : undefined;
}

/** openapi-core sets `statusCode`; the SLS SDK puts the status in `data.httpCode`. */
function statusOf(e: SdkErrorShape): number | undefined {
  if (typeof e.statusCode === 'number') return e.statusCode;
  const data = dataOf(e);
  const status = Number(data?.httpCode ?? data?.statusCode);
  return Number.isInteger(status) && status > 0 ? status : undefined;
}

function requestIdOf(e: SdkErrorShape): string | undefined {
  const data = dataOf(e);
  return text(e.requestId) ?? text(data?.requestId) ?? text(data?.RequestId);
}

/** The upstream's own message, without the SDK's wrapping, at most 300 characters. */
function messageOf(e: SdkErrorShape): string | undefined {
  const data = dataOf(e);
  let raw = text(data?.errorMessage) ?? text(data?.message) ?? text(data?.Message);
  if (!raw && typeof e.message === 'string') {
    // The SDK's own message is `<message>` or `<name>: code: <status>, <message> request id: …`.
    raw = text(e.message.replace(/^[^:]*: code: \d+, /, '').replace(/ request id: \S+$/, ''));
  }
  if (!raw) return undefined;
  return raw.length > MESSAGE_LIMIT ? `${raw.slice(0, MESSAGE_LIMIT)}…` : raw;
}

/** True when the error is a network failure before any answer (nothing arrived, or the answer was lost). */
function isNetworkError(error: unknown): boolean {
  const e = (error ?? {}) as SdkErrorShape;
  const code = text(e.code);
  return code !== undefined && NETWORK_CODES.has(code) && statusOf(e) === undefined;
}

export function isTimeoutError(error: unknown): boolean {
  const e = error as SdkErrorShape | undefined;
  return e?.name === 'RequestTimeoutError' || /^(Read|Connect)Timeout\(/.test(String(e?.message ?? ''));
}

/** Retry-After of a throttling answer in milliseconds, when the service sent one. */
export function retryAfterMs(error: unknown): number | undefined {
  const value = (error as SdkErrorShape | undefined)?.retryAfter;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Throttling, 5xx (but 501), a reset or refused connection, a timeout: worth another attempt of a read. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof OpsError) return false;
  const e = (error ?? {}) as SdkErrorShape;
  const status = statusOf(e);
  const code = text(e.code) ?? '';
  if (THROTTLING_CODES.test(code) || /ServerBusy|RequestTimeout/i.test(code) || status === 429) return true;
  if (status !== undefined) return status >= 500 && status !== 501;
  return (isNetworkError(error) && code !== PERMANENT_NETWORK_CODE) || isTimeoutError(error);
}

export function mapAlibabaError(error: unknown, call: AlibabaCall): OpsError {
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
  const endpointSetting = `ACK_${call.service.toUpperCase()}_ENDPOINT`;
  const checkOutcome = `Do not repeat it blindly: ${call.checkOutcomeHint ?? 'read the resource to see whether it happened.'}`;

  if (status === undefined) {
    if (/unable to get credentials/i.test(String(e.message ?? ''))) {
      return new OpsError(
        'CREDENTIALS_MISSING',
        `${what}: the default credential chain found no Alibaba Cloud credentials.`,
        {
          retryable: false,
          hint: 'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure RRSA (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE), a profile, or an ECS RAM role.',
        },
      );
    }
    if (isTimeoutError(error)) {
      return new OpsError(
        'TIMEOUT',
        call.read
          ? `${what} got no answer from ${call.endpoint} in time.`
          : `${what} got no answer from ${call.endpoint} in time; whether it took effect is unknown.`,
        {
          retryable: call.read,
          hint: call.read ? `Try again; raise API_TIMEOUT if ${call.service} is slow from here.` : checkOutcome,
        },
      );
    }
    if (code && NETWORK_CODES.has(code)) {
      return new OpsError(
        'PROVIDER_NOT_AVAILABLE',
        call.read
          ? `${what} could not reach ${call.endpoint} (${code}).`
          : `${what} lost its connection to ${call.endpoint} (${code}); whether it took effect is unknown.`,
        {
          retryable: call.read && code !== PERMANENT_NETWORK_CODE,
          hint: call.read
            ? `Check the network path to ${call.endpoint} (proxy, VPC endpoint, ${endpointSetting}) and the region.`
            : checkOutcome,
        },
      );
    }
    if (error instanceof SyntaxError) {
      return new OpsError('UPSTREAM_ERROR', `${what} answered with a body that is not JSON.`, {
        retryable: false,
        hint: `A proxy or gateway in between may have answered instead of ${call.service}; check ${endpointSetting}.`,
      });
    }
    return new OpsError('INTERNAL', `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  if (THROTTLING_CODES.test(code ?? '') || status === 429) {
    const wait = retryAfterMs(error);
    return new OpsError('RATE_LIMITED', `${what} was throttled (HTTP ${status})${suffix}`, {
      upstream,
      hint: `${wait ? `Wait ${Math.ceil(wait / 1000)} s` : 'Wait a little'} before calling again.`,
    });
  }
  if (status === 401 || CREDENTIAL_CODES.test(code ?? '')) {
    return new OpsError('INVALID_CREDENTIALS', `${what}: ${call.service} did not accept the credentials${suffix}`, {
      upstream,
      hint: 'Check the AccessKey pair (and STS token) the server or the request uses: wrong, disabled or expired.',
    });
  }
  if (status === 403 || /Forbidden|NoPermission|NotAuthorized|AccessDenied|Unauthorized/i.test(code ?? '')) {
    const ramAction = call.ramAction ?? `${call.service.toLowerCase()}:${call.action}`;
    return new OpsError('PERMISSION_DENIED', `${what} was denied${suffix}`, {
      upstream,
      hint: `The credentials are valid but lack the RAM permission ${ramAction}; grant it or use other credentials.`,
    });
  }
  if (status === 404 || /NotExist|NotFound/i.test(code ?? '')) {
    return new OpsError('RESOURCE_NOT_FOUND', `${what} found nothing${suffix}`, {
      upstream,
      hint: call.notFoundHint ?? 'Check the ids and the region.',
    });
  }
  if (status >= 500) {
    const outcome = call.read ? '' : ' Whether the change took effect is unknown.';
    return new OpsError(
      'UPSTREAM_ERROR',
      `${what} failed on the ${call.service} side (HTTP ${status})${suffix}${outcome}`,
      {
        upstream,
        retryable: call.read,
        hint: call.read
          ? `${call.service} is having trouble; try again in a moment and quote the request id to Alibaba Cloud support if it persists.`
          : checkOutcome,
      },
    );
  }
  if (status === 400 || status === 422 || /^(Invalid|Missing|Parameter|ErrorParam|IllegalParam)/i.test(code ?? '')) {
    return new OpsError('INVALID_ARGUMENT', `${what} rejected the request (HTTP ${status})${suffix}`, {
      upstream,
      hint: 'Correct the argument the message names (an id, a query, a time range) and call again.',
    });
  }
  return new OpsError('UPSTREAM_ERROR', `${what} failed (HTTP ${status})${suffix}`, { upstream, retryable: false });
}

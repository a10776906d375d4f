import { OpsError, type UpstreamInfo } from '@opsmcp/core';

/**
 * Turns what the CS SDK throws into core errors. The SDK throws `ClientError` (4xx),
 * `ServerError` (5xx) and `ThrottlingError` (a code containing "Throttling"), each with `code`,
 * `statusCode`, `requestId` and the parsed body in `data`; network failures are Node errors
 * with a `code` (ECONNREFUSED …) and timeouts a `RequestTimeoutError`.
 */

/** What one failed call was, for the message. */
export interface CallDescription {
  action: string;
  /** Read calls may be retried; a write whose outcome is unknown must not be. */
  read: boolean;
  /** `cs.cn-hangzhou.aliyuncs.com` or the configured endpoint, for network messages. */
  endpoint: string;
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

const INVALID_CREDENTIAL_CODES = new Set([
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

/** A text value, or undefined for empty values and the SDK's `"undefined"` placeholder. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim();
  return s && s !== 'undefined' && s !== 'null' ? s : undefined;
}

/** The upstream message without the SDK's `code: 404, … request id: …` wrapping, at most 300 characters. */
function upstreamMessage(error: SdkErrorShape): string | undefined {
  const data = error.data && typeof error.data === 'object' ? (error.data as Record<string, unknown>) : undefined;
  const raw = text(data?.message) ?? text(data?.Message);
  if (!raw) return undefined;
  return raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
}

/** True when the error is a network failure before any answer (nothing reached CS, or the answer was lost). */
export function isNetworkError(error: unknown): boolean {
  const code = text((error as SdkErrorShape | undefined)?.code);
  return code !== undefined && NETWORK_CODES.has(code) && (error as SdkErrorShape).statusCode === undefined;
}

export function isTimeoutError(error: unknown): boolean {
  const e = error as SdkErrorShape | undefined;
  return e?.name === 'RequestTimeoutError' || /^(Read|Connect)Timeout\(/.test(String(e?.message ?? ''));
}

/** Retry-After of a throttling answer in milliseconds, when CS sent one. */
export function retryAfterMs(error: unknown): number | undefined {
  const value = (error as SdkErrorShape | undefined)?.retryAfter;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** True for answers a read may be retried after: throttling, 5xx, a reset or refused connection. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof OpsError) return false;
  const e = error as SdkErrorShape;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (String(e?.code ?? '').includes('Throttling') || status === 429) return true;
  if (status !== undefined) return status >= 500 && status !== 501;
  return isNetworkError(error) || isTimeoutError(error);
}

export function mapCsError(error: unknown, call: CallDescription): OpsError {
  if (error instanceof OpsError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = text(e.code);
  const requestId = text(e.requestId);
  const upstream: UpstreamInfo = {
    ...(code ? { code } : {}),
    ...(status ? { status } : {}),
    ...(requestId ? { requestId } : {}),
  };
  const said = upstreamMessage(e);
  const suffix = said ? `: ${said}` : '.';
  const what = `CS ${call.action}`;

  if (status === undefined) {
    if (isTimeoutError(error)) {
      return new OpsError(
        'TIMEOUT',
        call.read
          ? `${what} got no answer from ${call.endpoint} in time.`
          : `${what} got no answer from ${call.endpoint} in time; whether it took effect is unknown.`,
        {
          retryable: call.read,
          hint: call.read
            ? 'Try again; raise API_TIMEOUT if the API is slow from here.'
            : 'Do not repeat it blindly: list the cluster tasks or read the resource to see whether it happened.',
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
          retryable: call.read,
          hint: call.read
            ? 'Check the network path to the CS endpoint (proxy, VPC endpoint, ACK_CS_ENDPOINT) and the region.'
            : 'Do not repeat it blindly: list the cluster tasks or read the resource to see whether it happened.',
        },
      );
    }
    if (/unable to get credentials from any of the providers/i.test(String(e.message ?? ''))) {
      return new OpsError(
        'CREDENTIALS_MISSING',
        'No Alibaba Cloud credentials were found by the default credential chain.',
        {
          retryable: false,
          hint: 'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure RRSA (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE), a profile, or an ECS RAM role.',
        },
      );
    }
    if (error instanceof SyntaxError) {
      return new OpsError('UPSTREAM_ERROR', `${what} answered with a body that is not JSON.`, {
        retryable: false,
        hint: 'A proxy or gateway in between may have answered instead of CS; check ACK_CS_ENDPOINT.',
      });
    }
    return new OpsError('INTERNAL', `${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  if ((code?.includes('Throttling') ?? false) || status === 429) {
    const wait = retryAfterMs(error);
    return new OpsError('RATE_LIMITED', `${what} was throttled (HTTP ${status})${suffix}`, {
      upstream,
      hint: `${wait ? `Wait ${Math.ceil(wait / 1000)} s` : 'Wait a little'} before calling again.`,
    });
  }
  if (status === 401 || (code !== undefined && INVALID_CREDENTIAL_CODES.has(code))) {
    return new OpsError('INVALID_CREDENTIALS', `${what}: CS did not accept the credentials${suffix}`, {
      upstream,
      hint: 'Check the AccessKey pair (and STS token) the server or the request uses: wrong, disabled or expired.',
    });
  }
  if (
    status === 403 ||
    (code !== undefined && (/^Forbidden/.test(code) || /NoPermission|NotAuthorized|AccessDenied/i.test(code)))
  ) {
    return new OpsError('PERMISSION_DENIED', `${what} was denied${suffix}`, {
      upstream,
      hint: `The credentials are valid but lack the RAM permission cs:${call.action} (or the cluster's RBAC); grant it or use other credentials.`,
    });
  }
  if (status === 404 || (code !== undefined && /NotFound|NotExist/i.test(code))) {
    return new OpsError('RESOURCE_NOT_FOUND', `${what} found nothing${suffix}`, {
      upstream,
      hint: 'Check the id and the region; list_clusters, list_cluster_nodepools and list_cluster_nodes show what exists.',
    });
  }
  if (status >= 500) {
    const outcome = call.read ? '' : ' Whether the change took effect is unknown.';
    return new OpsError('UPSTREAM_ERROR', `${what} failed on the CS side (HTTP ${status})${suffix}${outcome}`, {
      upstream,
      retryable: call.read,
      hint: call.read
        ? 'CS is having trouble; try again in a moment and quote the request id to Alibaba Cloud support if it persists.'
        : 'Do not repeat it blindly: list the cluster tasks or read the resource first.',
    });
  }
  if (status === 400 || status === 422 || /^(Invalid|Missing|Parameter|ErrorParam|IllegalParam)/i.test(code ?? '')) {
    return new OpsError('INVALID_ARGUMENT', `${what} rejected the request (HTTP ${status})${suffix}`, {
      upstream,
      hint: 'Correct the argument the message names and call again.',
    });
  }
  return new OpsError('UPSTREAM_ERROR', `${what} failed (HTTP ${status})${suffix}`, { upstream, retryable: false });
}

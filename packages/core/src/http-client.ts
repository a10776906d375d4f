import { currentRequestContext } from './context.js';
import { OpsError, type UpstreamInfo } from './errors.js';

/**
 * A small JSON client over Node's built-in `fetch`, shared by every server that speaks a plain
 * REST API. It owns what each of them would otherwise get subtly different: per-attempt
 * timeouts tied to the tool call's signal, bounded retries for reads only, one mapping of
 * HTTP failures to core error codes, and honest messages when a write's outcome is unknown.
 *
 * Secrets: header values and the query string (some APIs take a token there) never appear in
 * an error message or a log line; messages name the method and the path only.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  /** The provider's name as users know it, e.g. 'DigitalOcean'; it starts every message. */
  service: string;
  method: HttpMethod;
  url: string | URL;
  /** Appended to the URL's own query; `undefined` values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /**
   * A string, bytes or URLSearchParams are sent as they are; anything else is sent as JSON
   * with `content-type: application/json`.
   */
  body?: unknown;
  /** Reads may be retried; writes never are, since a retry could apply the change twice. */
  read: boolean;
  /** Budget of one attempt, from sending to the end of the answer's body. */
  timeoutMs: number;
  /** Extra attempts for a read (default 2, at most 5); ignored for writes. */
  maxRetries?: number;
  /** The tool call's signal: aborting it stops the request and any backoff at once. */
  signal?: AbortSignal;
  /** Response headers that carry the upstream request id, first present wins. */
  requestIdHeaders?: string[];
  /**
   * Maps a non-2xx answer to an error before the default mapping; return undefined to fall
   * back to `defaultHttpError`.
   */
  mapError?: (response: HttpErrorInfo) => OpsError | undefined;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON; the text when the answer is not JSON; undefined when it is empty. */
  body: T;
  requestId?: string;
}

/** A non-2xx answer, as `mapError` and `defaultHttpError` see it. */
export interface HttpErrorInfo {
  service: string;
  method: HttpMethod;
  /** The URL's path, without the query. */
  path: string;
  status: number;
  headers: Headers;
  bodyText: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** The upstream's own error code and message, read from the common JSON error shapes. */
  code?: string;
  message?: string;
  requestId?: string;
  read: boolean;
  /** From `Retry-After`, when the answer carried one. */
  retryAfterMs?: number;
}

/** Every tunable of the retry policy, in one place. */
export const HTTP_RETRY = {
  /** First backoff ceiling; it doubles per retry. */
  baseDelayMs: 200,
  /** Ceiling of one exponential backoff sleep. */
  maxDelayMs: 2_000,
  /** Longest `Retry-After` honoured; a longer one ends the retries (waiting less would only fail again). */
  maxRetryAfterMs: 10_000,
  defaultMaxRetries: 2,
  maxRetriesCap: 5,
  /** Statuses worth another attempt of a read. */
  retryableStatuses: new Set([429, 502, 503, 504]),
} as const;

export const DEFAULT_REQUEST_ID_HEADERS: readonly string[] = [
  'x-request-id',
  'x-amzn-requestid',
  'x-acs-request-id',
  'x-log-requestid',
];

/** How much of an upstream text a message quotes. */
const MAX_QUOTE_CHARS = 300;

/** Network failures that happen before anything is sent: a write is known not to have happened. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** A host name that does not resolve will not resolve on the next attempt either. */
const NOT_RETRIED_CODES = new Set(['ENOTFOUND']);

const UNKNOWN_OUTCOME =
  "The outcome is unknown: the change may or may not have been applied. Check the resource's current state before retrying.";
const UNKNOWN_OUTCOME_HINT =
  'Read the resource (get or list it) to see whether the change took effect; repeating the call blindly may apply it twice.';

/** Sends one JSON request, retrying reads on transient failures; throws OpsError on failure. */
export async function requestJson<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
  if (!(req.timeoutMs > 0)) throw new OpsError('INTERNAL', `The ${req.service} request has no positive timeout.`);
  const url = buildUrl(req);
  const path = url.pathname;
  const label = `${req.method} ${path}`;
  const headers = buildHeaders(req);
  const body = encodeBody(req, headers);
  const maxRetries = req.read ? clampRetries(req.maxRetries) : 0;
  const requestIdHeaders = req.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS;
  const log = currentRequestContext()?.log;

  for (let attempt = 0; ; attempt++) {
    if (req.signal?.aborted) {
      throw cancellationError(req.signal, `${req.service} ${label} was not sent: the call was cancelled.`);
    }
    const attemptSignal = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, attemptSignal]) : attemptSignal;

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: req.method, headers, body, signal });
      text = await response.text();
    } catch (error) {
      if (req.signal?.aborted) {
        throw cancellationError(
          req.signal,
          `${req.service} ${label} was cancelled.${req.read ? '' : ` ${UNKNOWN_OUTCOME}`}`,
        );
      }
      const failure = attemptSignal.aborted ? { kind: 'timeout' as const } : networkFailure(error);
      const retry = attempt < maxRetries && (failure.kind === 'timeout' || !NOT_RETRIED_CODES.has(failure.code));
      if (retry) {
        const delayMs = backoffDelay(attempt);
        log?.debug('retrying upstream request', {
          service: req.service,
          request: label,
          failure: failure.kind === 'timeout' ? 'timeout' : failure.code,
          attempt: attempt + 1,
          delay_ms: delayMs,
        });
        await sleepOrCancel(delayMs, req, label);
        continue;
      }
      throw transportError(req, label, url, failure, attempt + 1, error);
    }

    const parsed = parseBody(text, response.headers);
    const json = parsed.ok && parsed.isJson ? parsed.value : undefined;
    const requestId = findRequestId(response.headers, requestIdHeaders, json);

    if (response.ok) {
      if (!parsed.ok) {
        throw new OpsError(
          'UPSTREAM_ERROR',
          `${req.service} answered ${label} with HTTP ${response.status} but its body is not valid JSON: ${quote(text)}` +
            (req.read ? '' : ` The request succeeded, so the change was probably applied; check the resource's state.`),
          { retryable: false, upstream: { status: response.status, requestId } },
        );
      }
      return { status: response.status, headers: response.headers, body: parsed.value as T, requestId };
    }

    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    if (
      attempt < maxRetries &&
      HTTP_RETRY.retryableStatuses.has(response.status) &&
      (retryAfterMs === undefined || retryAfterMs <= HTTP_RETRY.maxRetryAfterMs)
    ) {
      const delayMs = retryAfterMs ?? backoffDelay(attempt);
      log?.debug('retrying upstream request', {
        service: req.service,
        request: label,
        status: response.status,
        attempt: attempt + 1,
        delay_ms: delayMs,
      });
      await sleepOrCancel(delayMs, req, label);
      continue;
    }

    const detail = upstreamErrorDetail(json);
    const info: HttpErrorInfo = {
      service: req.service,
      method: req.method,
      path,
      status: response.status,
      headers: response.headers,
      bodyText: text,
      ...(json !== undefined ? { json } : {}),
      ...detail,
      requestId,
      read: req.read,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
    const mapped = req.mapError?.(info) ?? defaultHttpError(info);
    if (!req.read && outcomeUnknown(response.status)) throw withUnknownOutcome(mapped);
    throw mapped;
  }
}

/**
 * The default mapping of a non-2xx answer to a core error. Exported so a provider's
 * `mapError` can handle its own codes and delegate the rest.
 */
export function defaultHttpError(info: HttpErrorInfo): OpsError {
  const { service, status } = info;
  const request = `${info.method} ${info.path}`;
  const upstreamText = info.message ?? (info.bodyText.trim() ? quote(info.bodyText) : undefined);
  const said = upstreamText ? `: ${asSentence(upstreamText)}` : '.';
  const upstream: UpstreamInfo = { code: info.code, status, requestId: info.requestId };
  const transient = info.read && HTTP_RETRY.retryableStatuses.has(status);

  if (status === 400 || status === 422) {
    return new OpsError('INVALID_ARGUMENT', `${service} rejected ${request} (HTTP ${status})${said}`, {
      upstream,
      hint: 'Correct the arguments the message names and call again.',
    });
  }
  if (status === 401) {
    return new OpsError(
      'INVALID_CREDENTIALS',
      `${service} did not accept the credentials for ${request} (HTTP 401)${said}`,
      {
        upstream,
        hint: `Check that the ${service} credentials the server uses are correct and not expired or revoked.`,
      },
    );
  }
  if (status === 403) {
    return new OpsError('PERMISSION_DENIED', `${service} denied ${request} (HTTP 403)${said}`, {
      upstream,
      hint: `The credentials are valid but lack the permission for this operation; grant it in ${service} or use other credentials.`,
    });
  }
  if (status === 404 || status === 410) {
    return new OpsError('RESOURCE_NOT_FOUND', `${service} found nothing at ${request} (HTTP ${status})${said}`, {
      upstream,
      hint: 'Check the identifier and region; list the resources to find the right one.',
    });
  }
  if (status === 409) {
    return new OpsError('UPSTREAM_ERROR', `${service} refused ${request} because of a conflict (HTTP 409)${said}`, {
      upstream,
      retryable: false,
      hint: 'The resource is busy or in a state that does not allow this; read its current state before trying again.',
    });
  }
  if (status === 429) {
    const wait = info.retryAfterMs !== undefined ? `Wait ${Math.ceil(info.retryAfterMs / 1000)} s` : 'Wait a little';
    return new OpsError('RATE_LIMITED', `${service} rate-limited ${request} (HTTP 429)${said}`, {
      upstream,
      hint: `${wait} before calling again, and prefer fewer, larger requests.`,
    });
  }
  if (status >= 500) {
    return new OpsError('UPSTREAM_ERROR', `${service} failed to answer ${request} (HTTP ${status})${said}`, {
      upstream,
      retryable: transient,
      hint: transient
        ? `${service} is temporarily unavailable; try again in a moment.`
        : `This is an error on the ${service} side; quote the request id if you contact its support.`,
    });
  }
  return new OpsError('UPSTREAM_ERROR', `${service} answered ${request} with HTTP ${status}${said}`, {
    upstream,
    retryable: false,
  });
}

/** The upstream's own error code and message, from the common JSON error shapes. */
export function upstreamErrorDetail(json: unknown): { code?: string; message?: string } {
  if (!isRecord(json)) return {};
  const pick = (code: unknown, message: unknown) => {
    const out: { code?: string; message?: string } = {};
    const c = asText(code);
    const m = asText(message);
    if (c) out.code = c;
    if (m) out.message = quote(m);
    return out;
  };
  // Prometheus: {status:'error', errorType, error}
  if (json.status === 'error' && 'errorType' in json) return pick(json.errorType, json.error);
  // Alibaba SLS: {errorCode, errorMessage}
  if ('errorCode' in json || 'errorMessage' in json) return pick(json.errorCode, json.errorMessage);
  // {error: {code, message}} and {error: "…"}
  if (isRecord(json.error)) return pick(json.error.code ?? json.error.type, json.error.message ?? json.error.title);
  if (typeof json.error === 'string') return pick(json.code ?? json.id, json.error);
  // Alibaba RPC: {Code, Message}
  if ('Code' in json || 'Message' in json) return pick(json.Code, json.Message);
  // {code, message}, DigitalOcean {id, message}, or a bare {message}
  return pick(json.code ?? json.id, json.message);
}

/**
 * Full-jitter exponential backoff: a uniform delay below min(max, base·2^attempt), so clients
 * that failed together do not retry together. `attempt` counts retries from 0.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(HTTP_RETRY.maxDelayMs, HTTP_RETRY.baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds from now: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The error to throw when the caller's signal aborted: its reason when that is an OpsError
 * (core aborts a timed-out call with its TIMEOUT error), otherwise CANCELLED with `message`.
 */
export function cancellationError(signal: AbortSignal, message: string): OpsError {
  const reason: unknown = signal.reason;
  if (reason instanceof OpsError) return reason;
  return new OpsError('CANCELLED', message, { retryable: false });
}

type NetworkFailure = { kind: 'network'; code: string };
type Failure = { kind: 'timeout' } | NetworkFailure;

async function sleepOrCancel(ms: number, req: HttpRequest, label: string): Promise<void> {
  try {
    await sleep(ms, req.signal);
  } catch {
    // Only an abort rejects the sleep. Only reads sleep, so no write is left in doubt here.
    throw cancellationError(req.signal!, `${req.service} ${label} was cancelled while waiting to retry.`);
  }
}

/** The most specific error code found along the cause chain of a fetch failure. */
function networkFailure(error: unknown): NetworkFailure {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (isRecord(current)) {
      if (typeof current.code === 'string') return { kind: 'network', code: current.code };
      // Connecting to several addresses fails with an AggregateError; its parts carry the code.
      if (Array.isArray(current.errors) && isRecord(current.errors[0]) && typeof current.errors[0].code === 'string') {
        return { kind: 'network', code: current.errors[0].code };
      }
      current = current.cause;
    } else break;
  }
  return { kind: 'network', code: 'FETCH_FAILED' };
}

function transportError(
  req: HttpRequest,
  label: string,
  url: URL,
  failure: Failure,
  attempts: number,
  cause: unknown,
): OpsError {
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  if (failure.kind === 'timeout') {
    const message = `${req.service} did not answer ${label} within ${req.timeoutMs} ms${tries}.`;
    if (!req.read)
      return new OpsError('TIMEOUT', `${message} ${UNKNOWN_OUTCOME}`, { retryable: false, hint: UNKNOWN_OUTCOME_HINT });
    return new OpsError('TIMEOUT', message, {
      hint: `${req.service} is slow or unreachable; try again later or narrow the request.`,
    });
  }
  const { code } = failure;
  const reason =
    code === 'ECONNREFUSED'
      ? 'the connection was refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the host name ${url.hostname} could not be resolved`
        : code === 'UND_ERR_CONNECT_TIMEOUT'
          ? 'connecting timed out'
          : `the connection failed (${code})`;
  const message = `Could not complete ${label} with ${req.service} at ${url.host}${tries}: ${reason}.`;
  const hint = `Check the ${req.service} endpoint setting and that this host can reach it.`;
  if (req.read || NOT_SENT_CODES.has(code)) {
    const unsent = req.read ? '' : ' The request was not sent, so nothing changed.';
    return new OpsError('PROVIDER_NOT_AVAILABLE', message + unsent, { hint, cause });
  }
  return new OpsError('PROVIDER_NOT_AVAILABLE', `${message} ${UNKNOWN_OUTCOME}`, {
    retryable: false,
    hint: UNKNOWN_OUTCOME_HINT,
    cause,
  });
}

/** A write answered with one of these may have been applied before the failure. */
function outcomeUnknown(status: number): boolean {
  return status === 429 || status >= 500;
}

function withUnknownOutcome(error: OpsError): OpsError {
  return new OpsError(error.code, `${error.message} ${UNKNOWN_OUTCOME}`, {
    retryable: false,
    hint: UNKNOWN_OUTCOME_HINT,
    ...(error.upstream ? { upstream: error.upstream } : {}),
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
  });
}

function buildUrl(req: HttpRequest): URL {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    // The URL is not quoted: its query may carry a token.
    throw new OpsError('INVALID_ARGUMENT', `The ${req.service} URL is not a valid absolute URL.`, {
      hint: `Check the ${req.service} endpoint setting.`,
    });
  }
  for (const [name, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.append(name, String(value));
  }
  return url;
}

function buildHeaders(req: HttpRequest): Headers {
  const headers = new Headers({ accept: 'application/json' });
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    try {
      headers.set(name, value);
    } catch {
      // The runtime's own error quotes the value, which may be a credential: name the header only.
      throw new OpsError('INVALID_ARGUMENT', `The ${req.service} request header '${name}' has an invalid value.`, {
        hint: 'Header values cannot contain line breaks or other control characters; check the configured credentials.',
      });
    }
  }
  return headers;
}

function encodeBody(req: HttpRequest, headers: Headers): string | Uint8Array | URLSearchParams | undefined {
  const { body } = req;
  if (body === undefined) return undefined;
  if (req.method === 'GET') throw new OpsError('INTERNAL', `A GET request to ${req.service} cannot carry a body.`);
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams) return body;
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  try {
    return JSON.stringify(body);
  } catch (error) {
    throw new OpsError('INTERNAL', `The ${req.service} request body cannot be encoded as JSON.`, { cause: error });
  }
}

type Parsed = { ok: true; value: unknown; isJson: boolean } | { ok: false };

/** JSON when the answer says so or looks like it; the text otherwise; undefined when empty. */
function parseBody(text: string, headers: Headers): Parsed {
  if (text.trim() === '') return { ok: true, value: undefined, isJson: false };
  const claimsJson = (headers.get('content-type') ?? '').toLowerCase().includes('json');
  const looksJson = /^\s*[[{]/.test(text);
  if (!claimsJson && !looksJson) return { ok: true, value: text, isJson: false };
  try {
    return { ok: true, value: JSON.parse(text), isJson: true };
  } catch {
    return { ok: false };
  }
}

function findRequestId(headers: Headers, names: readonly string[], json: unknown): string | undefined {
  for (const name of names) {
    const value = headers.get(name);
    if (value) return value;
  }
  if (isRecord(json)) {
    for (const key of ['request_id', 'requestId', 'RequestId']) {
      const value = asText(json[key]);
      if (value) return value;
    }
  }
  return undefined;
}

function clampRetries(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return HTTP_RETRY.defaultMaxRetries;
  return Math.min(HTTP_RETRY.maxRetriesCap, Math.max(0, Math.floor(value)));
}

/** Ends `text` with a full stop unless it already ends a sentence, so further sentences can follow. */
function asSentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** One line of upstream text, cut to a length a message can carry. */
function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_QUOTE_CHARS ? `${line.slice(0, MAX_QUOTE_CHARS)}…` : line;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Settles with `promise`, or rejects with `cancelled()` as soon as `signal` aborts: for work that
 * takes no signal of its own (an SDK call, a status check), so the caller stops waiting at once.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  cancelled: () => OpsError,
): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

import { createHash, createHmac } from 'node:crypto';

/**
 * What the request-signature verifiers share: the request they read, the verdict they give,
 * and the pieces every algorithm builds on (header and query canonicalisation, hashes, the
 * clock-skew and session-token checks). Each algorithm's own file keeps only what is specific
 * to it. Plain `node:crypto`, so runtime code (a sandbox's fake endpoint) can use it too.
 */

/** Header values as Node's `IncomingHttpHeaders` or a test literal has them, names in any case. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * What a signature verifier reads from a request. The test kit's `RecordedRequest` has it; so
 * can a literal built in a test (headers in any case; `rawBody`, when given, wins over `body`).
 */
export interface VerifiableRequest {
  method: string;
  /** Path plus `?query` as sent, percent-encoding kept. */
  url: string;
  headers: RequestHeaders;
  body?: string | Uint8Array;
  rawBody?: Uint8Array;
}

/**
 * The answer of every verifier: who signed, or exactly why the request does not verify.
 * `Details` are what a verifier reports besides (the Volcengine verifier adds its canonical
 * request, string to sign and credential scope).
 */
export type SignatureVerdict<Details extends object = Record<never, never>> =
  | ({ ok: true; accessKeyId: string } & Details)
  | ({ ok: false; reason: string } & Details);

/** A request as a `sign*Request` test aid returns it: the same request with plain lower-case headers. */
export type SignedRequest<T extends { headers: RequestHeaders }> = Omit<T, 'headers'> & {
  headers: Record<string, string>;
};

/** Default largest accepted distance, in seconds, between the signed time and the verifier's clock. */
export const DEFAULT_MAX_SKEW_SECONDS = 900;

export function reject(reason: string): SignatureVerdict {
  return { ok: false, reason };
}

/**
 * The last step of a verifier: the signature sent against the one recomputed. A mismatch shows
 * what was signed (`what`: `canonical request`, `string to sign`), which is where a difference is.
 */
export function compareSignatures(
  accessKeyId: string,
  expected: string,
  sent: string,
  what: string,
  signedText: string,
): SignatureVerdict {
  if (expected !== sent) return reject(`signature mismatch: expected ${expected} got ${sent}; ${what}:\n${signedText}`);
  return { ok: true, accessKeyId };
}

/** Lower-cased names, `undefined` values dropped, repeated values joined with `separator`. */
export function lowerCaseHeaders(headers: RequestHeaders, separator = ', '): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(separator);
  }
  return out;
}

/** The headers a signer starts from: lower-cased, without a previous `authorization`. */
export function headersToSign(headers: RequestHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(lowerCaseHeaders(headers))) {
    if (value !== undefined && name !== 'authorization') out[name] = value;
  }
  return out;
}

/** `name:value\n` for each name in the given order; `normalise` shapes the value (default: trimmed). */
export function canonicalHeaderLines(
  headers: Record<string, string | undefined>,
  names: readonly string[],
  normalise: (value: string) => string = (value) => value.trim(),
): string {
  return names.map((name) => `${name}:${normalise(headers[name] ?? '')}\n`).join('');
}

/** Trimmed, with every inner run of whitespace as one space (SigV4 and Volcengine header values). */
export function collapseWhitespace(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/** The bytes the signature covers: `rawBody` when given, else `body` as UTF-8. */
export function bodyBytes(request: Pick<VerifiableRequest, 'body' | 'rawBody'>): Uint8Array {
  if (request.rawBody !== undefined) return request.rawBody;
  if (request.body === undefined) return new Uint8Array();
  return typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
}

/** Path and raw query of a request target; a `#fragment` is dropped. */
export function splitUrl(url: string): { path: string; query: string } {
  const hash = url.indexOf('#');
  const target = hash < 0 ? url : url.slice(0, hash);
  const queryStart = target.indexOf('?');
  return queryStart < 0
    ? { path: target, query: '' }
    : { path: target.slice(0, queryStart), query: target.slice(queryStart + 1) };
}

/** Decoded `[name, value]` pairs of a raw query string (`name` alone reads as an empty value). */
export function decodeQuery(rawQuery: string): Array<[string, string]> {
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      const value = equals < 0 ? '' : pair.slice(equals + 1);
      return [safeDecode(name), safeDecode(value)];
    });
}

/** RFC 3986 encoding of names and values, sorted by name (then value), joined with `&`. */
export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Code-unit order, as the gateways sort (not locale order). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * The scoped HMAC-SHA256 signature AWS SigV4 defined and Volcengine adopted: the string to sign
 * is `algorithm \n dateTime \n <scope joined by "/"> \n hex(sha256(canonicalRequest))`, and the
 * signing key is the secret HMAC-ed with each scope part in turn.
 */
export function scopedSignature(
  algorithm: string,
  secret: string,
  dateTime: string,
  scope: readonly string[],
  canonicalRequest: string,
): { stringToSign: string; signature: string } {
  const stringToSign = [algorithm, dateTime, scope.join('/'), sha256Hex(canonicalRequest)].join('\n');
  let key: string | Buffer = secret;
  for (const part of scope) key = hmacSha256(key, part);
  return { stringToSign, signature: hmacSha256(key, stringToSign).toString('hex') };
}

/** Milliseconds since the epoch of a compact UTC time, `yyyyMMddTHHmmssZ` (checked by the caller). */
export function parseCompactUtc(value: string): number {
  return Date.UTC(
    Number(value.slice(0, 4)),
    Number(value.slice(4, 6)) - 1,
    Number(value.slice(6, 8)),
    Number(value.slice(9, 11)),
    Number(value.slice(11, 13)),
    Number(value.slice(13, 15)),
  );
}

/** How far the signed time is from the verifier's clock, when that is beyond the allowed window. */
export function clockSkew(
  signedAt: number,
  now: Date | undefined,
  maxSkewSeconds: number | undefined,
): { seconds: number; limit: number } | undefined {
  const limit = maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  const seconds = Math.abs((now ?? new Date()).getTime() - signedAt) / 1000;
  return seconds > limit ? { seconds, limit } : undefined;
}

/** The tail of a skew rejection (`<header> <value> is N s away …`), or undefined within the window. */
export function checkSkew(
  signedAt: number,
  now: Date | undefined,
  maxSkewSeconds: number | undefined,
): string | undefined {
  const skew = clockSkew(signedAt, now, maxSkewSeconds);
  return skew ? `is ${Math.round(skew.seconds)} s away from the verifier's clock (limit ${skew.limit} s)` : undefined;
}

/**
 * The session-token rule of the gateways: a request made with temporary credentials must carry
 * the token in `header`, and one made with long-term keys must not carry any.
 */
export function checkSessionToken(
  header: string,
  sent: string | undefined,
  expected: string | undefined,
): string | undefined {
  if (expected !== undefined) {
    if (sent === undefined) return `missing ${header}`;
    if (sent !== expected) return `${header} does not match the expected session token`;
  } else if (sent !== undefined) {
    return `unexpected ${header}: the expected credentials have no session token`;
  }
  return undefined;
}

/** `Credential`, `SignedHeaders` and `Signature` of an `<algorithm> Name=value,Name=value` header. */
export interface AuthorizationFields {
  credential: string;
  signedHeaders: string[];
  signature: string;
}

/** Splits `<algorithm> Credential=…,SignedHeaders=…,Signature=…` (ACS3, SigV4), or says what is wrong with it. */
export function parseAuthorizationFields(value: string, algorithm: string): AuthorizationFields | string {
  const trimmed = value.trim();
  const space = trimmed.indexOf(' ');
  const sent = space < 0 ? trimmed : trimmed.slice(0, space);
  if (sent !== algorithm) return `unsupported Authorization algorithm ${sent}, expected ${algorithm}`;
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential) return 'malformed Authorization: missing Credential';
  if (!signedHeaders) return 'malformed Authorization: missing SignedHeaders';
  if (!signature) return 'malformed Authorization: missing Signature';
  return { credential, signedHeaders: signedHeaders.split(';'), signature };
}

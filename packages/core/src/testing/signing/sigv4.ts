import { createHash, createHmac } from 'node:crypto';
import type { SignatureVerdict, VerifiableRequest } from '../recording-server.js';

/**
 * AWS Signature Version 4 (header form), as AWS services check it:
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
 *                      SignedHeaders \n HashedPayload
 *   StringToSign     = "AWS4-HMAC-SHA256" \n X-Amz-Date \n <date>/<region>/<service>/aws4_request \n
 *                      hex(sha256(CanonicalRequest))
 *   SigningKey       = hmac(hmac(hmac(hmac("AWS4" + secret, date), region), service), "aws4_request")
 *   Authorization: AWS4-HMAC-SHA256 Credential=<AccessKeyId>/<scope>, SignedHeaders=<a;b>, Signature=<hex>
 *
 * Query names and values are RFC 3986 encoded and sorted by name, then value. Header values
 * are trimmed with inner whitespace runs collapsed. Every service but S3 normalises the path
 * (`.`, `..`, empty segments) and encodes it once more on top of the encoding it was sent
 * with; S3 signs the path exactly as sent. HashedPayload is `x-amz-content-sha256` when sent
 * (which must then match the body unless it is `UNSIGNED-PAYLOAD` or a `STREAMING-*` marker),
 * otherwise the body's SHA-256.
 */

export interface SigV4VerifyOptions {
  accessKeyId: string;
  secretAccessKey: string;
  /** Token the request must carry (signed) in `x-amz-security-token`; without it, none may be sent. */
  sessionToken?: string;
  /** When set, the credential scope's region must be this one. */
  expectRegion?: string;
  /** When set, the credential scope's service must be this one (`ec2`, `sts`, `s3`, …). */
  expectService?: string;
  /** The verifier's clock (default: now). */
  now?: Date;
  /** Largest accepted distance between `x-amz-date` and `now` (default 900 s, AWS's window). */
  maxSkewSeconds?: number;
}

export interface SigV4SignOptions {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  service: string;
  /** Signing time (default: now). */
  date?: Date;
}

export interface ParsedSigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

export function verifySigV4Signature(request: VerifiableRequest, options: SigV4VerifyOptions): SignatureVerdict {
  const headers = lowerCaseHeaders(request.headers);
  const authorization = headers.authorization;
  if (authorization === undefined) {
    return request.url.includes('X-Amz-Signature=')
      ? fail('presigned (query-string) SigV4 requests are not supported here; expected an Authorization header')
      : fail('missing Authorization header');
  }
  const parsed = parseSigV4Authorization(authorization);
  if (typeof parsed === 'string') return fail(parsed);

  if (parsed.accessKeyId !== options.accessKeyId) {
    return fail(`credential access key ${parsed.accessKeyId}, expected ${options.accessKeyId}`);
  }
  if (options.expectRegion !== undefined && parsed.region !== options.expectRegion) {
    return fail(`credential scope region ${parsed.region}, expected ${options.expectRegion}`);
  }
  if (options.expectService !== undefined && parsed.service !== options.expectService) {
    return fail(`credential scope service ${parsed.service}, expected ${options.expectService}`);
  }

  const amzDate = headers['x-amz-date'];
  if (amzDate === undefined) return fail('missing x-amz-date');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) return fail(`malformed x-amz-date ${amzDate}, expected yyyyMMddTHHmmssZ`);
  if (amzDate.slice(0, 8) !== parsed.date) {
    return fail(`credential scope date ${parsed.date} does not match x-amz-date ${amzDate}`);
  }
  const skew = checkSkew(parseAmzDate(amzDate), options.now, options.maxSkewSeconds);
  if (skew) return fail(`x-amz-date ${amzDate} ${skew}`);

  for (const required of ['host', 'x-amz-date']) {
    if (!parsed.signedHeaders.includes(required)) {
      return fail(`${required} is not among SignedHeaders ${parsed.signedHeaders.join(';')}`);
    }
  }
  for (const name of parsed.signedHeaders) {
    if (headers[name] === undefined) return fail(`signed header ${name} is missing from the request`);
  }

  const token = headers['x-amz-security-token'];
  if (options.sessionToken !== undefined) {
    if (token === undefined) return fail('missing x-amz-security-token');
    if (token !== options.sessionToken) return fail('x-amz-security-token does not match the expected session token');
    if (!parsed.signedHeaders.includes('x-amz-security-token')) return fail('x-amz-security-token is not signed');
  } else if (token !== undefined) {
    return fail('unexpected x-amz-security-token: the expected credentials have no session token');
  }

  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD' && !declaredHash.startsWith('STREAMING-')) {
    const actualHash = sha256Hex(bodyBytes(request));
    if (declaredHash !== actualHash) {
      return fail(`x-amz-content-sha256 ${declaredHash} does not match the body's SHA-256 ${actualHash}`);
    }
  }

  const canonicalRequest = buildSigV4CanonicalRequest(request, parsed.signedHeaders, parsed.service);
  const expected = computeSigV4Signature(canonicalRequest, amzDate, parsed, options.secretAccessKey);
  if (expected !== parsed.signature) {
    return fail(
      `signature mismatch: expected ${expected} got ${parsed.signature}; canonical request:\n${canonicalRequest}`,
    );
  }
  return { ok: true, accessKeyId: parsed.accessKeyId };
}

/** Splits `AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request, SignedHeaders=…, Signature=…`. */
export function parseSigV4Authorization(value: string): ParsedSigV4Authorization | string {
  const trimmed = value.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM)
    return `unsupported Authorization algorithm ${algorithm}, expected ${SIGV4_ALGORITHM}`;
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
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request' || rest.length > 0) {
    return `malformed credential ${credential}, expected <AccessKeyId>/<yyyyMMdd>/<region>/<service>/aws4_request`;
  }
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** The canonical request over the named headers; `service` decides how the path is canonicalised. */
export function buildSigV4CanonicalRequest(
  request: VerifiableRequest,
  signedHeaders: readonly string[],
  service: string,
): string {
  const headers = lowerCaseHeaders(request.headers);
  const names = [...signedHeaders].sort();
  const canonicalHeaders = names
    .map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const { path, query } = splitUrl(request.url);
  return [
    request.method.toUpperCase(),
    service === 's3' ? path || '/' : normalizedEscapedPath(path),
    canonicalQuery(query),
    canonicalHeaders,
    names.join(';'),
    payloadHash(request, headers),
  ].join('\n');
}

export function computeSigV4Signature(
  canonicalRequest: string,
  amzDate: string,
  scope: Pick<ParsedSigV4Authorization, 'date' | 'region' | 'service'>,
  secretAccessKey: string,
): string {
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [SIGV4_ALGORITHM, amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${secretAccessKey}`, scope.date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  const kSigning = hmac(kService, 'aws4_request');
  return hmac(kSigning, stringToSign).toString('hex');
}

/**
 * Signs a request the way the AWS SDKs do (test kit only): adds `x-amz-date`, the session
 * token when given, `x-amz-content-sha256` for S3, and `Authorization` over every header the
 * request has. The caller supplies `host`.
 */
export function signSigV4Request<T extends VerifiableRequest>(
  request: T,
  options: SigV4SignOptions,
): Omit<T, 'headers'> & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(lowerCaseHeaders(request.headers))) {
    if (value !== undefined && name !== 'authorization') headers[name] = value;
  }
  const amzDate = (options.date ?? new Date())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  headers['x-amz-date'] = amzDate;
  if (options.sessionToken !== undefined) headers['x-amz-security-token'] = options.sessionToken;
  if (options.service === 's3') headers['x-amz-content-sha256'] ??= sha256Hex(bodyBytes(request));
  const signed = { ...request, headers };
  const signedHeaders = Object.keys(headers).sort();
  const scope = { date: amzDate.slice(0, 8), region: options.region, service: options.service };
  const canonicalRequest = buildSigV4CanonicalRequest(signed, signedHeaders, options.service);
  const signature = computeSigV4Signature(canonicalRequest, amzDate, scope, options.secretAccessKey);
  headers.authorization =
    `${SIGV4_ALGORITHM} Credential=${options.accessKeyId}/${scope.date}/${scope.region}/${scope.service}/aws4_request, ` +
    `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return signed;
}

function payloadHash(request: VerifiableRequest, headers: Record<string, string | undefined>): string {
  return headers['x-amz-content-sha256'] ?? sha256Hex(bodyBytes(request));
}

/**
 * Non-S3 path: drop empty and `.` segments, resolve `..`, keep a trailing slash, then encode
 * each segment again (so `%20` as sent becomes `%2520`).
 */
function normalizedEscapedPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(rfc3986(segment));
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      const value = equals < 0 ? '' : pair.slice(equals + 1);
      return [rfc3986(safeDecode(name)), rfc3986(safeDecode(value))] as const;
    })
    .filter(([name]) => name !== 'X-Amz-Signature')
    .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function splitUrl(url: string): { path: string; query: string } {
  const hash = url.indexOf('#');
  const target = hash < 0 ? url : url.slice(0, hash);
  const queryStart = target.indexOf('?');
  return queryStart < 0
    ? { path: target, query: '' }
    : { path: target.slice(0, queryStart), query: target.slice(queryStart + 1) };
}

function parseAmzDate(value: string): number {
  return Date.UTC(
    Number(value.slice(0, 4)),
    Number(value.slice(4, 6)) - 1,
    Number(value.slice(6, 8)),
    Number(value.slice(9, 11)),
    Number(value.slice(11, 13)),
    Number(value.slice(13, 15)),
  );
}

function checkSkew(signedAt: number, now: Date | undefined, maxSkewSeconds: number | undefined): string | undefined {
  const limit = maxSkewSeconds ?? 900;
  const distance = Math.abs((now ?? new Date()).getTime() - signedAt) / 1000;
  return distance > limit
    ? `is ${Math.round(distance)} s away from the verifier's clock (limit ${limit} s)`
    : undefined;
}

function fail(reason: string): SignatureVerdict {
  return { ok: false, reason };
}

function lowerCaseHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  }
  return out;
}

function bodyBytes(request: VerifiableRequest): Uint8Array {
  if (request.rawBody !== undefined) return request.rawBody;
  if (request.body === undefined) return new Uint8Array();
  return typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

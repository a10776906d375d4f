import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { SignatureVerdict, VerifiableRequest } from '../recording-server.js';

/**
 * Alibaba Cloud's V3 request signature, ACS3-HMAC-SHA256, as the OpenAPI gateway checks it
 * (the signature the Tea/OpenAPI SDKs send for both RPC- and ROA-style APIs):
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
 *                      SignedHeaders \n hex(sha256(body))
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(hmac-sha256(AccessKeySecret, StringToSign))
 *   Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b>,Signature=<hex>
 *
 * CanonicalHeaders covers `host`, `content-type` and every `x-acs-*` header (names lower-cased
 * and sorted, values trimmed), and the gateway requires all of them to be signed. URI segments,
 * query names and values are RFC 3986 encoded; the query is sorted by name. RPC-style APIs carry
 * the action only in `x-acs-action`, so that header is required here as it is by the gateway.
 */

export interface Acs3VerifyOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token the request must carry (signed) in `x-acs-security-token`; without it, none may be sent. */
  sessionToken?: string;
  /** When set, `x-acs-action` must be this API name. */
  expectAction?: string;
  /** When set, `x-acs-version` must be this API version. */
  expectVersion?: string;
  /** The verifier's clock (default: now). */
  now?: Date;
  /** Largest accepted distance between `x-acs-date` and `now` (default 900 s, the gateway's window). */
  maxSkewSeconds?: number;
}

export interface Acs3SignOptions {
  accessKeyId: string;
  accessKeySecret: string;
  sessionToken?: string;
  /** Signing time (default: now). */
  date?: Date;
  /** `x-acs-signature-nonce` (default: random). */
  nonce?: string;
}

export interface ParsedAcs3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** Headers the SDKs always send and sign; the gateway rejects a request without them. */
const REQUIRED_HEADERS = [
  'host',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
] as const;

export function verifyAcs3Signature(request: VerifiableRequest, options: Acs3VerifyOptions): SignatureVerdict {
  const headers = lowerCaseHeaders(request.headers);
  const authorization = headers.authorization;
  if (authorization === undefined) return fail('missing Authorization header');
  const parsed = parseAcs3Authorization(authorization);
  if (typeof parsed === 'string') return fail(parsed);

  if (parsed.accessKeyId !== options.accessKeyId) {
    return fail(`credential access key ${parsed.accessKeyId}, expected ${options.accessKeyId}`);
  }
  for (const name of REQUIRED_HEADERS) {
    if (headers[name] === undefined) {
      const why = name === 'x-acs-action' ? ' (RPC-style APIs send the action only in this header)' : '';
      return fail(`missing ${name}${why}`);
    }
  }
  for (const name of Object.keys(headers)) {
    if (isSignableHeader(name) && !parsed.signedHeaders.includes(name)) {
      return fail(`header ${name} is present but not among SignedHeaders ${parsed.signedHeaders.join(';')}`);
    }
  }
  for (const name of parsed.signedHeaders) {
    if (headers[name] === undefined) return fail(`signed header ${name} is missing from the request`);
  }

  const token = headers['x-acs-security-token'];
  if (options.sessionToken !== undefined) {
    if (token === undefined) return fail('missing x-acs-security-token');
    if (token !== options.sessionToken) return fail('x-acs-security-token does not match the expected session token');
  } else if (token !== undefined) {
    return fail('unexpected x-acs-security-token: the expected credentials have no session token');
  }

  const action = headers['x-acs-action'] as string;
  if (options.expectAction !== undefined && action !== options.expectAction) {
    return fail(`x-acs-action ${action}, expected ${options.expectAction}`);
  }
  const version = headers['x-acs-version'] as string;
  if (options.expectVersion !== undefined && version !== options.expectVersion) {
    return fail(`x-acs-version ${version}, expected ${options.expectVersion}`);
  }

  const date = headers['x-acs-date'] as string;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date)) {
    return fail(`malformed x-acs-date ${date}, expected yyyy-MM-ddTHH:mm:ssZ`);
  }
  const skew = checkSkew(Date.parse(date), options.now, options.maxSkewSeconds);
  if (skew) return fail(`x-acs-date ${date} ${skew}`);

  const bodyHash = sha256Hex(bodyBytes(request));
  const declaredHash = headers['x-acs-content-sha256'] as string;
  if (declaredHash !== bodyHash) {
    return fail(`x-acs-content-sha256 ${declaredHash} does not match the body's SHA-256 ${bodyHash}`);
  }

  const canonicalRequest = buildAcs3CanonicalRequest(request, parsed.signedHeaders);
  const expected = computeAcs3Signature(canonicalRequest, options.accessKeySecret);
  if (expected !== parsed.signature) {
    return fail(
      `signature mismatch: expected ${expected} got ${parsed.signature}; canonical request:\n${canonicalRequest}`,
    );
  }
  return { ok: true, accessKeyId: parsed.accessKeyId };
}

/** Splits `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`, or says what is wrong with it. */
export function parseAcs3Authorization(value: string): ParsedAcs3Authorization | string {
  const trimmed = value.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ACS3_ALGORITHM) {
    return `unsupported Authorization algorithm ${algorithm}, expected ${ACS3_ALGORITHM}`;
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId) return 'malformed Authorization: missing Credential';
  if (!signedHeaders) return 'malformed Authorization: missing SignedHeaders';
  if (!signature) return 'malformed Authorization: missing Signature';
  return { accessKeyId, signedHeaders: signedHeaders.split(';'), signature };
}

/** The canonical request over the named headers, exactly as the signature covers it. */
export function buildAcs3CanonicalRequest(request: VerifiableRequest, signedHeaders: readonly string[]): string {
  const headers = lowerCaseHeaders(request.headers);
  const names = [...signedHeaders].sort();
  const canonicalHeaders = names.map((name) => `${name}:${(headers[name] ?? '').trim()}\n`).join('');
  const { path, query } = splitUrl(request.url);
  return [
    request.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    canonicalHeaders,
    names.join(';'),
    sha256Hex(bodyBytes(request)),
  ].join('\n');
}

export function computeAcs3Signature(canonicalRequest: string, accessKeySecret: string): string {
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
}

/**
 * Signs a request the way the SDKs do (test kit only): adds `x-acs-date`,
 * `x-acs-signature-nonce`, `x-acs-content-sha256`, the STS token when given, and
 * `Authorization` over `host`, `content-type` and every `x-acs-*` header. The caller supplies
 * `host`, `x-acs-action` and `x-acs-version`.
 */
export function signAcs3Request<T extends VerifiableRequest>(
  request: T,
  options: Acs3SignOptions,
): Omit<T, 'headers'> & { headers: Record<string, string> } {
  const headers = definedHeaders(lowerCaseHeaders(request.headers));
  headers['x-acs-date'] = (options.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  headers['x-acs-signature-nonce'] = options.nonce ?? randomBytes(16).toString('hex');
  headers['x-acs-content-sha256'] = sha256Hex(bodyBytes(request));
  if (options.sessionToken !== undefined) headers['x-acs-security-token'] = options.sessionToken;
  delete headers.authorization;
  const signedHeaders = Object.keys(headers).filter(isSignableHeader).sort();
  const signed = { ...request, headers };
  const signature = computeAcs3Signature(buildAcs3CanonicalRequest(signed, signedHeaders), options.accessKeySecret);
  headers.authorization =
    `${ACS3_ALGORITHM} Credential=${options.accessKeyId},SignedHeaders=${signedHeaders.join(';')},` +
    `Signature=${signature}`;
  return signed;
}

function isSignableHeader(name: string): boolean {
  return name === 'host' || name === 'content-type' || name.startsWith('x-acs-');
}

/** Each path segment decoded, then RFC 3986 encoded; `/` for an empty path. */
function canonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  return rawPath
    .split('/')
    .map((segment) => rfc3986(safeDecode(segment)))
    .join('/');
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

function definedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
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

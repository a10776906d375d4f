import { createHash, createHmac } from 'node:crypto';
import type { SignatureVerdict, VerifiableRequest } from '../recording-server.js';

/**
 * Alibaba Cloud Log Service (SLS) request signature, the `LOG` scheme SLS checks on every API
 * call:
 *
 *   StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n
 *                  CanonicalizedLOGHeaders CanonicalizedResource
 *   Signature    = base64(hmac(AccessKeySecret, StringToSign))
 *   Authorization: LOG <AccessKeyId>:<Signature>
 *
 * CanonicalizedLOGHeaders is every `x-log-*` and `x-acs-*` header as `name:value\n`, names
 * lower-cased and sorted. CanonicalizedResource is the decoded path, then `?` and the decoded
 * query parameters sorted by name (`name=value`, or `name` for one sent without `=`), joined
 * with `&`. The HMAC is SHA-1 or SHA-256 as `x-log-signaturemethod` says (`hmac-sha1` in the
 * classic SDKs, `hmac-sha256` in the Tea-based one). Content-MD5 is the upper-case hex MD5 of
 * the body bytes as sent (after compression), so it binds the body to the signature.
 */

export interface SlsVerifyOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token the request must carry in `x-acs-security-token`; without it, none may be sent. */
  sessionToken?: string;
  /** The verifier's clock (default: now). */
  now?: Date;
  /** Largest accepted distance between `Date` and `now` (default 900 s, the service's window). */
  maxSkewSeconds?: number;
}

export interface SlsSignOptions {
  accessKeyId: string;
  accessKeySecret: string;
  sessionToken?: string;
  /** Signing time (default: now). */
  date?: Date;
  /** Default `hmac-sha1`. */
  signatureMethod?: SlsSignatureMethod;
}

export type SlsSignatureMethod = 'hmac-sha1' | 'hmac-sha256';

const DIGESTS: Record<SlsSignatureMethod, 'sha1' | 'sha256'> = { 'hmac-sha1': 'sha1', 'hmac-sha256': 'sha256' };

export function verifySlsSignature(request: VerifiableRequest, options: SlsVerifyOptions): SignatureVerdict {
  const headers = lowerCaseHeaders(request.headers);
  const authorization = headers.authorization?.trim();
  if (authorization === undefined) return fail('missing Authorization header');
  if (authorization.startsWith('SLS4-HMAC-SHA256')) {
    return fail('SLS V4 signatures (SLS4-HMAC-SHA256) are not supported here; expected LOG <AccessKeyId>:<signature>');
  }
  const match = /^LOG ([^:\s]+):(\S+)$/.exec(authorization);
  if (!match) return fail(`malformed Authorization ${authorization}, expected LOG <AccessKeyId>:<signature>`);
  const [, accessKeyId = '', signature = ''] = match;
  if (accessKeyId !== options.accessKeyId) {
    return fail(`credential access key ${accessKeyId}, expected ${options.accessKeyId}`);
  }

  const method = headers['x-log-signaturemethod'];
  if (method === undefined) return fail('missing x-log-signaturemethod');
  if (!isSignatureMethod(method))
    return fail(`unsupported x-log-signaturemethod ${method}, expected hmac-sha1 or hmac-sha256`);
  if (headers['x-log-apiversion'] === undefined) return fail('missing x-log-apiversion');

  const date = headers.date;
  if (date === undefined) return fail('missing Date header');
  const signedAt = Date.parse(date);
  if (Number.isNaN(signedAt)) return fail(`malformed Date header ${date}, expected an RFC 1123 GMT date`);
  const skew = checkSkew(signedAt, options.now, options.maxSkewSeconds);
  if (skew) return fail(`Date ${date} ${skew}`);

  const body = bodyBytes(request);
  const declaredMd5 = headers['content-md5'] ?? '';
  if (body.length > 0 && declaredMd5 === '') return fail('missing Content-MD5 for a request with a body');
  if (declaredMd5 !== '') {
    const actualMd5 = createHash('md5').update(body).digest('hex').toUpperCase();
    if (declaredMd5 !== actualMd5) return fail(`Content-MD5 ${declaredMd5} does not match the body's MD5 ${actualMd5}`);
  }

  const token = headers['x-acs-security-token'];
  if (options.sessionToken !== undefined) {
    if (token === undefined) return fail('missing x-acs-security-token');
    if (token !== options.sessionToken) return fail('x-acs-security-token does not match the expected session token');
  } else if (token !== undefined) {
    return fail('unexpected x-acs-security-token: the expected credentials have no session token');
  }

  const stringToSign = buildSlsStringToSign(request);
  const expected = hmacBase64(method, options.accessKeySecret, stringToSign);
  if (expected !== signature) {
    return fail(`signature mismatch: expected ${expected} got ${signature}; string to sign:\n${stringToSign}`);
  }
  return { ok: true, accessKeyId };
}

export function buildSlsStringToSign(request: VerifiableRequest): string {
  const headers = lowerCaseHeaders(request.headers);
  const canonicalHeaders = Object.keys(headers)
    .filter((name) => name.startsWith('x-log-') || name.startsWith('x-acs-'))
    .sort()
    .map((name) => `${name}:${(headers[name] ?? '').trim()}\n`)
    .join('');
  return [
    request.method.toUpperCase(),
    headers['content-md5'] ?? '',
    headers['content-type'] ?? '',
    headers.date ?? '',
    `${canonicalHeaders}${canonicalResource(request.url)}`,
  ].join('\n');
}

/** The signature over the request as it stands, with the HMAC its `x-log-signaturemethod` names (SHA-1 when absent). */
export function computeSlsSignature(request: VerifiableRequest, accessKeySecret: string): string {
  const method = lowerCaseHeaders(request.headers)['x-log-signaturemethod'] ?? 'hmac-sha1';
  if (!isSignatureMethod(method)) throw new Error(`unsupported x-log-signaturemethod ${method}`);
  return hmacBase64(method, accessKeySecret, buildSlsStringToSign(request));
}

/**
 * Signs a request the way the SLS SDKs do (test kit only): adds `Date`, `x-log-apiversion`
 * (0.6.0 unless given), `x-log-signaturemethod`, for a body `x-log-bodyrawsize` (unless
 * given) and `Content-MD5`, the STS token when given, and `Authorization`. The caller supplies `host`.
 */
export function signSlsRequest<T extends VerifiableRequest>(
  request: T,
  options: SlsSignOptions,
): Omit<T, 'headers'> & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(lowerCaseHeaders(request.headers))) {
    if (value !== undefined && name !== 'authorization') headers[name] = value;
  }
  const body = bodyBytes(request);
  headers.date = (options.date ?? new Date()).toUTCString();
  headers['x-log-apiversion'] ??= '0.6.0';
  headers['x-log-signaturemethod'] = options.signatureMethod ?? 'hmac-sha1';
  if (body.length > 0) {
    headers['x-log-bodyrawsize'] ??= String(body.length);
    headers['content-md5'] = createHash('md5').update(body).digest('hex').toUpperCase();
  }
  if (options.sessionToken !== undefined) headers['x-acs-security-token'] = options.sessionToken;
  const signed = { ...request, headers };
  headers.authorization = `LOG ${options.accessKeyId}:${computeSlsSignature(signed, options.accessKeySecret)}`;
  return signed;
}

function canonicalResource(url: string): string {
  const hash = url.indexOf('#');
  const target = hash < 0 ? url : url.slice(0, hash);
  const queryStart = target.indexOf('?');
  const path = safeDecode(queryStart < 0 ? target : target.slice(0, queryStart)) || '/';
  if (queryStart < 0) return path;
  const params = target
    .slice(queryStart + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0
        ? { name: safeDecode(pair), text: safeDecode(pair) }
        : {
            name: safeDecode(pair.slice(0, equals)),
            text: `${safeDecode(pair.slice(0, equals))}=${safeDecode(pair.slice(equals + 1))}`,
          };
    })
    .sort((a, b) => compare(a.name, b.name) || compare(a.text, b.text));
  return params.length === 0 ? path : `${path}?${params.map((param) => param.text).join('&')}`;
}

function isSignatureMethod(value: string): value is SlsSignatureMethod {
  return value === 'hmac-sha1' || value === 'hmac-sha256';
}

function hmacBase64(method: SlsSignatureMethod, secret: string, data: string): string {
  return createHmac(DIGESTS[method], secret).update(data, 'utf8').digest('base64');
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

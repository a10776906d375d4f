import { createHash, createHmac } from 'node:crypto';
import {
  bodyBytes,
  canonicalHeaderLines,
  checkSessionToken,
  checkSkew,
  compare,
  compareSignatures,
  headersToSign,
  lowerCaseHeaders,
  reject,
  type SignatureVerdict,
  type SignedRequest,
  safeDecode,
  splitUrl,
  type VerifiableRequest,
} from './common.js';

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
  if (authorization === undefined) return reject('missing Authorization header');
  if (authorization.startsWith('SLS4-HMAC-SHA256')) {
    return reject(
      'SLS V4 signatures (SLS4-HMAC-SHA256) are not supported here; expected LOG <AccessKeyId>:<signature>',
    );
  }
  const match = /^LOG ([^:\s]+):(\S+)$/.exec(authorization);
  if (!match) return reject(`malformed Authorization ${authorization}, expected LOG <AccessKeyId>:<signature>`);
  const [, accessKeyId = '', signature = ''] = match;
  if (accessKeyId !== options.accessKeyId) {
    return reject(`credential access key ${accessKeyId}, expected ${options.accessKeyId}`);
  }

  const method = headers['x-log-signaturemethod'];
  if (method === undefined) return reject('missing x-log-signaturemethod');
  if (!isSignatureMethod(method))
    return reject(`unsupported x-log-signaturemethod ${method}, expected hmac-sha1 or hmac-sha256`);
  if (headers['x-log-apiversion'] === undefined) return reject('missing x-log-apiversion');

  const date = headers.date;
  if (date === undefined) return reject('missing Date header');
  const signedAt = Date.parse(date);
  if (Number.isNaN(signedAt)) return reject(`malformed Date header ${date}, expected an RFC 1123 GMT date`);
  const skew = checkSkew(signedAt, options.now, options.maxSkewSeconds);
  if (skew) return reject(`Date ${date} ${skew}`);

  const body = bodyBytes(request);
  const declaredMd5 = headers['content-md5'] ?? '';
  if (body.length > 0 && declaredMd5 === '') return reject('missing Content-MD5 for a request with a body');
  if (declaredMd5 !== '') {
    const actualMd5 = md5Hex(body);
    if (declaredMd5 !== actualMd5)
      return reject(`Content-MD5 ${declaredMd5} does not match the body's MD5 ${actualMd5}`);
  }

  const tokenProblem = checkSessionToken('x-acs-security-token', headers['x-acs-security-token'], options.sessionToken);
  if (tokenProblem) return reject(tokenProblem);

  const stringToSign = buildSlsStringToSign(request);
  const expected = hmacBase64(method, options.accessKeySecret, stringToSign);
  return compareSignatures(accessKeyId, expected, signature, 'string to sign', stringToSign);
}

export function buildSlsStringToSign(request: VerifiableRequest): string {
  const headers = lowerCaseHeaders(request.headers);
  const logHeaders = Object.keys(headers)
    .filter((name) => name.startsWith('x-log-') || name.startsWith('x-acs-'))
    .sort();
  return [
    request.method.toUpperCase(),
    headers['content-md5'] ?? '',
    headers['content-type'] ?? '',
    headers.date ?? '',
    `${canonicalHeaderLines(headers, logHeaders)}${canonicalResource(request.url)}`,
  ].join('\n');
}

/** The signature over the request as it stands, with the HMAC its `x-log-signaturemethod` names (SHA-1 when absent). */
export function computeSlsSignature(request: VerifiableRequest, accessKeySecret: string): string {
  const method = lowerCaseHeaders(request.headers)['x-log-signaturemethod'] ?? 'hmac-sha1';
  if (!isSignatureMethod(method)) throw new Error(`unsupported x-log-signaturemethod ${method}`);
  return hmacBase64(method, accessKeySecret, buildSlsStringToSign(request));
}

/**
 * A test aid: signs a request the way the SLS SDKs do, so a fake's verifier can be exercised
 * without the SDK. Adds `Date`, `x-log-apiversion` (0.6.0 unless given), `x-log-signaturemethod`,
 * for a body `x-log-bodyrawsize` (unless given) and `Content-MD5`, the STS token when given, and
 * `Authorization`. The caller supplies `host`.
 */
export function signSlsRequest<T extends VerifiableRequest>(request: T, options: SlsSignOptions): SignedRequest<T> {
  const headers = headersToSign(request.headers);
  const body = bodyBytes(request);
  headers.date = (options.date ?? new Date()).toUTCString();
  headers['x-log-apiversion'] ??= '0.6.0';
  headers['x-log-signaturemethod'] = options.signatureMethod ?? 'hmac-sha1';
  if (body.length > 0) {
    headers['x-log-bodyrawsize'] ??= String(body.length);
    headers['content-md5'] = md5Hex(body);
  }
  if (options.sessionToken !== undefined) headers['x-acs-security-token'] = options.sessionToken;
  const signed = { ...request, headers };
  headers.authorization = `LOG ${options.accessKeyId}:${computeSlsSignature(signed, options.accessKeySecret)}`;
  return signed;
}

/** The decoded path, then the decoded query sorted by name (`name=value`, or `name` sent without `=`). */
function canonicalResource(url: string): string {
  const { path: rawPath, query } = splitUrl(url);
  const path = safeDecode(rawPath) || '/';
  const params = query
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

/** Upper-case hex, as SLS sends Content-MD5. */
function md5Hex(body: Uint8Array): string {
  return createHash('md5').update(body).digest('hex').toUpperCase();
}

function isSignatureMethod(value: string): value is SlsSignatureMethod {
  return value === 'hmac-sha1' || value === 'hmac-sha256';
}

function hmacBase64(method: SlsSignatureMethod, secret: string, data: string): string {
  return createHmac(DIGESTS[method], secret).update(data, 'utf8').digest('base64');
}

import { createHmac, randomBytes } from 'node:crypto';
import {
  bodyBytes,
  canonicalHeaderLines,
  canonicalQuery,
  checkSessionToken,
  checkSkew,
  compareSignatures,
  decodeQuery,
  headersToSign,
  lowerCaseHeaders,
  parseAuthorizationFields,
  reject,
  rfc3986,
  type SignatureVerdict,
  type SignedRequest,
  safeDecode,
  sha256Hex,
  splitUrl,
  type VerifiableRequest,
} from './common.js';

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
  if (authorization === undefined) return reject('missing Authorization header');
  const parsed = parseAcs3Authorization(authorization);
  if (typeof parsed === 'string') return reject(parsed);

  if (parsed.accessKeyId !== options.accessKeyId) {
    return reject(`credential access key ${parsed.accessKeyId}, expected ${options.accessKeyId}`);
  }
  for (const name of REQUIRED_HEADERS) {
    if (headers[name] === undefined) {
      const why = name === 'x-acs-action' ? ' (RPC-style APIs send the action only in this header)' : '';
      return reject(`missing ${name}${why}`);
    }
  }
  for (const name of Object.keys(headers)) {
    if (isSignableHeader(name) && !parsed.signedHeaders.includes(name)) {
      return reject(`header ${name} is present but not among SignedHeaders ${parsed.signedHeaders.join(';')}`);
    }
  }
  for (const name of parsed.signedHeaders) {
    if (headers[name] === undefined) return reject(`signed header ${name} is missing from the request`);
  }

  const tokenProblem = checkSessionToken('x-acs-security-token', headers['x-acs-security-token'], options.sessionToken);
  if (tokenProblem) return reject(tokenProblem);

  const action = headers['x-acs-action'] as string;
  if (options.expectAction !== undefined && action !== options.expectAction) {
    return reject(`x-acs-action ${action}, expected ${options.expectAction}`);
  }
  const version = headers['x-acs-version'] as string;
  if (options.expectVersion !== undefined && version !== options.expectVersion) {
    return reject(`x-acs-version ${version}, expected ${options.expectVersion}`);
  }

  const date = headers['x-acs-date'] as string;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date)) {
    return reject(`malformed x-acs-date ${date}, expected yyyy-MM-ddTHH:mm:ssZ`);
  }
  const skew = checkSkew(Date.parse(date), options.now, options.maxSkewSeconds);
  if (skew) return reject(`x-acs-date ${date} ${skew}`);

  const bodyHash = sha256Hex(bodyBytes(request));
  const declaredHash = headers['x-acs-content-sha256'] as string;
  if (declaredHash !== bodyHash) {
    return reject(`x-acs-content-sha256 ${declaredHash} does not match the body's SHA-256 ${bodyHash}`);
  }

  const canonicalRequest = buildAcs3CanonicalRequest(request, parsed.signedHeaders);
  const expected = computeAcs3Signature(canonicalRequest, options.accessKeySecret);
  return compareSignatures(parsed.accessKeyId, expected, parsed.signature, 'canonical request', canonicalRequest);
}

/** Splits `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`, or says what is wrong with it. */
export function parseAcs3Authorization(value: string): ParsedAcs3Authorization | string {
  const fields = parseAuthorizationFields(value, ACS3_ALGORITHM);
  if (typeof fields === 'string') return fields;
  return { accessKeyId: fields.credential, signedHeaders: fields.signedHeaders, signature: fields.signature };
}

/** The canonical request over the named headers, exactly as the signature covers it. */
export function buildAcs3CanonicalRequest(request: VerifiableRequest, signedHeaders: readonly string[]): string {
  const names = [...signedHeaders].sort();
  const { path, query } = splitUrl(request.url);
  return [
    request.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(decodeQuery(query)),
    canonicalHeaderLines(lowerCaseHeaders(request.headers), names),
    names.join(';'),
    sha256Hex(bodyBytes(request)),
  ].join('\n');
}

export function computeAcs3Signature(canonicalRequest: string, accessKeySecret: string): string {
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
}

/**
 * A test aid: signs a request the way the SDKs do, so a fake's verifier can be exercised without
 * the SDK. Adds `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`, the STS token when
 * given, and `Authorization` over `host`, `content-type` and every `x-acs-*` header. The caller
 * supplies `host`, `x-acs-action` and `x-acs-version`.
 */
export function signAcs3Request<T extends VerifiableRequest>(request: T, options: Acs3SignOptions): SignedRequest<T> {
  const headers = headersToSign(request.headers);
  headers['x-acs-date'] = (options.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  headers['x-acs-signature-nonce'] = options.nonce ?? randomBytes(16).toString('hex');
  headers['x-acs-content-sha256'] = sha256Hex(bodyBytes(request));
  if (options.sessionToken !== undefined) headers['x-acs-security-token'] = options.sessionToken;
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

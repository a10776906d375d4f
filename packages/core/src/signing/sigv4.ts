import {
  bodyBytes,
  canonicalHeaderLines,
  canonicalQuery,
  checkSessionToken,
  checkSkew,
  collapseWhitespace,
  compareSignatures,
  decodeQuery,
  headersToSign,
  lowerCaseHeaders,
  parseAuthorizationFields,
  parseCompactUtc,
  reject,
  rfc3986,
  type SignatureVerdict,
  type SignedRequest,
  scopedSignature,
  sha256Hex,
  splitUrl,
  type VerifiableRequest,
} from './common.js';

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
      ? reject('presigned (query-string) SigV4 requests are not supported here; expected an Authorization header')
      : reject('missing Authorization header');
  }
  const parsed = parseSigV4Authorization(authorization);
  if (typeof parsed === 'string') return reject(parsed);

  if (parsed.accessKeyId !== options.accessKeyId) {
    return reject(`credential access key ${parsed.accessKeyId}, expected ${options.accessKeyId}`);
  }
  if (options.expectRegion !== undefined && parsed.region !== options.expectRegion) {
    return reject(`credential scope region ${parsed.region}, expected ${options.expectRegion}`);
  }
  if (options.expectService !== undefined && parsed.service !== options.expectService) {
    return reject(`credential scope service ${parsed.service}, expected ${options.expectService}`);
  }

  const amzDate = headers['x-amz-date'];
  if (amzDate === undefined) return reject('missing x-amz-date');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) return reject(`malformed x-amz-date ${amzDate}, expected yyyyMMddTHHmmssZ`);
  if (amzDate.slice(0, 8) !== parsed.date) {
    return reject(`credential scope date ${parsed.date} does not match x-amz-date ${amzDate}`);
  }
  const skew = checkSkew(parseCompactUtc(amzDate), options.now, options.maxSkewSeconds);
  if (skew) return reject(`x-amz-date ${amzDate} ${skew}`);

  for (const required of ['host', 'x-amz-date']) {
    if (!parsed.signedHeaders.includes(required)) {
      return reject(`${required} is not among SignedHeaders ${parsed.signedHeaders.join(';')}`);
    }
  }
  for (const name of parsed.signedHeaders) {
    if (headers[name] === undefined) return reject(`signed header ${name} is missing from the request`);
  }

  const tokenProblem = checkSessionToken('x-amz-security-token', headers['x-amz-security-token'], options.sessionToken);
  if (tokenProblem) return reject(tokenProblem);
  if (options.sessionToken !== undefined && !parsed.signedHeaders.includes('x-amz-security-token')) {
    return reject('x-amz-security-token is not signed');
  }

  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD' && !declaredHash.startsWith('STREAMING-')) {
    const actualHash = sha256Hex(bodyBytes(request));
    if (declaredHash !== actualHash) {
      return reject(`x-amz-content-sha256 ${declaredHash} does not match the body's SHA-256 ${actualHash}`);
    }
  }

  const canonicalRequest = buildSigV4CanonicalRequest(request, parsed.signedHeaders, parsed.service);
  const expected = computeSigV4Signature(canonicalRequest, amzDate, parsed, options.secretAccessKey);
  return compareSignatures(parsed.accessKeyId, expected, parsed.signature, 'canonical request', canonicalRequest);
}

/** Splits `AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request, SignedHeaders=…, Signature=…`. */
export function parseSigV4Authorization(value: string): ParsedSigV4Authorization | string {
  const fields = parseAuthorizationFields(value, SIGV4_ALGORITHM);
  if (typeof fields === 'string') return fields;
  const { credential, signedHeaders, signature } = fields;
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request' || rest.length > 0) {
    return `malformed credential ${credential}, expected <AccessKeyId>/<yyyyMMdd>/<region>/<service>/aws4_request`;
  }
  return { accessKeyId, date, region, service, signedHeaders, signature };
}

/** The canonical request over the named headers; `service` decides how the path is canonicalised. */
export function buildSigV4CanonicalRequest(
  request: VerifiableRequest,
  signedHeaders: readonly string[],
  service: string,
): string {
  const headers = lowerCaseHeaders(request.headers);
  const names = [...signedHeaders].sort();
  const { path, query } = splitUrl(request.url);
  return [
    request.method.toUpperCase(),
    service === 's3' ? path || '/' : normalizedEscapedPath(path),
    // A presigned URL carries its signature in the query; the signature cannot cover itself.
    canonicalQuery(decodeQuery(query).filter(([name]) => name !== 'X-Amz-Signature')),
    canonicalHeaderLines(headers, names, collapseWhitespace),
    names.join(';'),
    headers['x-amz-content-sha256'] ?? sha256Hex(bodyBytes(request)),
  ].join('\n');
}

export function computeSigV4Signature(
  canonicalRequest: string,
  amzDate: string,
  scope: Pick<ParsedSigV4Authorization, 'date' | 'region' | 'service'>,
  secretAccessKey: string,
): string {
  return scopedSignature(
    SIGV4_ALGORITHM,
    `AWS4${secretAccessKey}`,
    amzDate,
    [scope.date, scope.region, scope.service, 'aws4_request'],
    canonicalRequest,
  ).signature;
}

/**
 * A test aid: signs a request the way the AWS SDKs do, so a fake's verifier can be exercised
 * without the SDK. Adds `x-amz-date`, the session token when given, `x-amz-content-sha256` for
 * S3, and `Authorization` over every header the request has. The caller supplies `host`.
 */
export function signSigV4Request<T extends VerifiableRequest>(request: T, options: SigV4SignOptions): SignedRequest<T> {
  const headers = headersToSign(request.headers);
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

import {
  canonicalHeaderLines,
  canonicalQuery,
  clockSkew,
  collapseWhitespace,
  lowerCaseHeaders,
  parseCompactUtc,
  type RequestHeaders,
  type SignatureVerdict,
  scopedSignature,
  sha256Hex,
} from './common.js';

/**
 * Verifies a request against Volcengine's HMAC-SHA256 request signature, the way the gateway
 * does: parse `Authorization`, rebuild the canonical request from the headers it names, derive
 * the signing key from the secret (no prefix, scope terminator `request`) and compare. Fakes use
 * it so a signing or credential mix-up is rejected instead of passing silently.
 */

export interface RecordedVolcengineRequest {
  method: string;
  /** The path; a `?query` suffix is accepted when `query` is not given separately. */
  path: string;
  /** Raw query string (without `?`) or decoded name → value(s). */
  query?: string | Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Header names in any case (Node's `IncomingHttpHeaders` works as is). */
  headers: RequestHeaders;
  body?: string | Uint8Array;
}

export interface VolcengineVerifyOptions {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, the request must carry this `X-Security-Token` and sign it. */
  sessionToken?: string;
  /** Expected credential-scope region(s); unchecked when absent. */
  region?: string | readonly string[];
  /** Expected credential-scope service name(s), compared exactly; unchecked when absent. */
  service?: string | readonly string[];
  /** The verifier's clock (default: now). */
  now?: Date;
  /** Largest accepted distance between X-Date and `now` (default 900 s). */
  maxSkewSeconds?: number;
}

export interface VolcengineCredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/** What the Volcengine verdict tells besides ok/accessKeyId, for a fake's logs and for tests. */
export interface VolcengineVerifyDetails {
  /** Why the request was rejected, or `signature matches`. */
  reason: string;
  scope?: VolcengineCredentialScope;
  canonicalRequest?: string;
  stringToSign?: string;
  expectedSignature?: string;
}

export type VolcengineVerifyResult = SignatureVerdict<VolcengineVerifyDetails>;

const AUTHORIZATION_PATTERN =
  /^HMAC-SHA256\s+Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

export interface ParsedVolcengineAuthorization extends VolcengineCredentialScope {
  signedHeaders: string[];
  signature: string;
}

/** Splits `HMAC-SHA256 Credential=AK/date/region/service/request, SignedHeaders=…, Signature=…`. */
export function parseVolcengineSignatureHeader(value: string | undefined): ParsedVolcengineAuthorization | undefined {
  const match = value ? AUTHORIZATION_PATTERN.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  return {
    accessKeyId: accessKeyId as string,
    date: date as string,
    region: region as string,
    service: service as string,
    signedHeaders: (signedHeaders as string).split(';'),
    signature: signature as string,
  };
}

export function verifyVolcengineSignature(
  request: RecordedVolcengineRequest,
  options: VolcengineVerifyOptions,
): VolcengineVerifyResult {
  const headers = lowerCaseHeaders(request.headers, ',');
  const auth = parseVolcengineSignatureHeader(headers.authorization);
  if (!auth) return { ok: false, reason: 'missing or malformed Authorization header' };
  const scope: VolcengineCredentialScope = {
    accessKeyId: auth.accessKeyId,
    date: auth.date,
    region: auth.region,
    service: auth.service,
  };
  const fail = (reason: string): VolcengineVerifyResult => ({ ok: false, reason, scope });

  if (auth.accessKeyId !== options.accessKeyId) {
    return fail(`access key ${auth.accessKeyId} is not the expected ${options.accessKeyId}`);
  }
  const regions = toList(options.region);
  if (regions && !regions.includes(auth.region)) {
    return fail(`credential scope region ${auth.region} is not ${regions.join(' or ')}`);
  }
  const services = toList(options.service);
  if (services && !services.includes(auth.service)) {
    return fail(`credential scope service ${auth.service} is not ${services.join(' or ')}`);
  }

  const xDate = headers['x-date'];
  if (!xDate || !/^\d{8}T\d{6}Z$/.test(xDate)) return fail('missing or malformed X-Date header');
  if (!auth.signedHeaders.includes('x-date')) return fail('X-Date is not among the signed headers');
  if (xDate.slice(0, 8) !== auth.date) return fail(`X-Date ${xDate} does not match the scope date ${auth.date}`);
  const skew = clockSkew(parseCompactUtc(xDate), options.now, options.maxSkewSeconds);
  if (skew) return fail(`X-Date ${xDate} is more than ${skew.limit} s away from the verifier's clock`);

  if (options.sessionToken !== undefined) {
    const token = headers['x-security-token'];
    if (token === undefined) return fail('X-Security-Token is missing but a session token is expected');
    if (token !== options.sessionToken) return fail('X-Security-Token does not match the expected session token');
    if (!auth.signedHeaders.includes('x-security-token')) return fail('X-Security-Token is not signed');
  }

  const bodyHash = sha256Hex(request.body ?? '');
  const declaredHash = headers['x-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== bodyHash) {
    return fail('X-Content-Sha256 does not match the SHA-256 of the body');
  }

  for (const name of auth.signedHeaders) {
    if (headers[name] === undefined) return fail(`signed header ${name} is not present`);
  }

  const { path, query } = splitPath(request);
  // Signed headers in the order Authorization lists them, not re-sorted.
  const canonicalRequest = [
    request.method.toUpperCase(),
    path || '/',
    canonicalQuery(query),
    canonicalHeaderLines(headers, auth.signedHeaders, collapseWhitespace),
    auth.signedHeaders.join(';'),
    bodyHash,
  ].join('\n');
  const { stringToSign, signature: expectedSignature } = scopedSignature(
    'HMAC-SHA256',
    options.secretAccessKey,
    xDate,
    [auth.date, auth.region, auth.service, 'request'],
    canonicalRequest,
  );

  const details = { scope, canonicalRequest, stringToSign, expectedSignature };
  if (expectedSignature !== auth.signature) {
    return {
      ok: false,
      reason: 'signature does not match (wrong secret key or a differently built request)',
      ...details,
    };
  }
  return { ok: true, accessKeyId: auth.accessKeyId, reason: 'signature matches', ...details };
}

function toList(value: string | readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : value;
}

/** Path and decoded query pairs (a raw query is read with `URLSearchParams`, so `+` is a space). */
function splitPath(request: RecordedVolcengineRequest): { path: string; query: Array<[string, string]> } {
  const queryStart = request.path.indexOf('?');
  const path = queryStart < 0 ? request.path : request.path.slice(0, queryStart);
  const source = request.query ?? (queryStart < 0 ? '' : request.path.slice(queryStart + 1));
  const pairs: Array<[string, string]> = [];
  if (typeof source === 'string') {
    for (const [name, value] of new URLSearchParams(source)) pairs.push([name, value]);
  } else {
    for (const [name, value] of Object.entries(source)) {
      if (value === undefined) continue;
      for (const item of typeof value === 'string' ? [value] : value) pairs.push([name, item]);
    }
  }
  return { path, query: pairs };
}

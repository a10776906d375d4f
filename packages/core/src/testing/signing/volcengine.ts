import { createHash, createHmac } from 'node:crypto';

/**
 * Verifies a recorded request against Volcengine's HMAC-SHA256 request signature, the way the
 * gateway does: parse `Authorization`, rebuild the canonical request from the headers it names,
 * derive the signing key from the secret (no prefix) and compare. Used by fakes in tests so a
 * signing or credential mix-up fails the test instead of passing silently.
 */

export interface RecordedVolcengineRequest {
  method: string;
  /** The path; a `?query` suffix is accepted when `query` is not given separately. */
  path: string;
  /** Raw query string (without `?`) or decoded name → value(s). */
  query?: string | Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Header names in any case (Node's `IncomingHttpHeaders` works as is). */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
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

export interface VolcengineVerifyResult {
  ok: boolean;
  /** Why the request was rejected, or `signature matches`. */
  reason: string;
  scope?: VolcengineCredentialScope;
  canonicalRequest?: string;
  stringToSign?: string;
  expectedSignature?: string;
}

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
  const headers = lowerCaseHeaders(request.headers);
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
  const signedAt = Date.UTC(
    Number(xDate.slice(0, 4)),
    Number(xDate.slice(4, 6)) - 1,
    Number(xDate.slice(6, 8)),
    Number(xDate.slice(9, 11)),
    Number(xDate.slice(11, 13)),
    Number(xDate.slice(13, 15)),
  );
  const now = (options.now ?? new Date()).getTime();
  const maxSkewMs = (options.maxSkewSeconds ?? 900) * 1000;
  if (Math.abs(now - signedAt) > maxSkewMs) {
    return fail(`X-Date ${xDate} is more than ${maxSkewMs / 1000} s away from the verifier's clock`);
  }

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
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${(headers[name] as string).replace(/\s+/g, ' ').trim()}\n`)
    .join('');

  const { path, query } = splitPath(request);
  const canonicalRequest = [
    request.method.toUpperCase(),
    path || '/',
    canonicalQuery(query),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    bodyHash,
  ].join('\n');
  const credentialScope = `${auth.date}/${auth.region}/${auth.service}/request`;
  const stringToSign = ['HMAC-SHA256', xDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(options.secretAccessKey, auth.date);
  const kRegion = hmac(kDate, auth.region);
  const kService = hmac(kRegion, auth.service);
  const kSigning = hmac(kService, 'request');
  const expectedSignature = hmac(kSigning, stringToSign).toString('hex');

  const details = { scope, canonicalRequest, stringToSign, expectedSignature };
  if (expectedSignature !== auth.signature) {
    return {
      ok: false,
      reason: 'signature does not match (wrong secret key or a differently built request)',
      ...details,
    };
  }
  return { ok: true, reason: 'signature matches', ...details };
}

function lowerCaseHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(',');
  }
  return out;
}

function toList(value: string | readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : value;
}

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

/** RFC 3986 encoding of names and values, sorted by name (then value), joined with `&`. */
function canonicalQuery(pairs: Array<[string, string]>): string {
  return pairs
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort((a, b) => (a[0] === b[0] ? compare(a[1], b[1]) : compare(a[0], b[0])))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

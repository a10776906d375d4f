import { createHash, createHmac } from 'node:crypto';
import type { VolcengineCredentials } from '@opsmcp/core';

/**
 * Volcengine's HMAC-SHA256 request signature, computed as the `@volcengine/openapi` Signer does
 * (the tests compare the two on the same inputs). Written here with `node:crypto` so that an
 * install of the server does not pull in the SDK and its HTTP and protobuf dependencies only
 * for its signer.
 */

export interface VolcengineRequestToSign {
  method: string;
  /** The path without the query (`/`). */
  pathname: string;
  /** Query parameters; `undefined` values are left out, arrays repeat the name. */
  query: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Headers to send and sign (Host among them); Content-Type and Content-Length are sent unsigned. */
  headers: Readonly<Record<string, string>>;
  body: string;
  region: string;
  service: string;
}

/** Headers the SDK never signs: they may be changed by proxies or set by the HTTP client. */
const UNSIGNED_HEADERS = new Set([
  'authorization',
  'content-type',
  'content-length',
  'user-agent',
  'presigned-expires',
  'expect',
]);

/**
 * The request's headers plus `X-Date`, `X-Security-Token` (with STS keys), `X-Content-Sha256`
 * (with a body) and `Authorization`. `date` is the signing time (default: now).
 */
export function signVolcengineRequest(
  request: VolcengineRequestToSign,
  credentials: VolcengineCredentials,
  date: Date = new Date(),
): Record<string, string> {
  const datetime = date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[:-]/g, '');
  const headers: Record<string, string> = { ...request.headers, 'X-Date': datetime };
  if (credentials.sessionToken) headers['X-Security-Token'] = credentials.sessionToken;
  const bodyHash = sha256Hex(request.body);
  if (request.body) headers['X-Content-Sha256'] = bodyHash;

  const signed = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => !UNSIGNED_HEADERS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const signedHeaders = signed.map(([name]) => name).join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.pathname || '/',
    canonicalQuery(request.query),
    `${signed.map(([name, value]) => `${name}:${value.replace(/\s+/g, ' ').trim()}`).join('\n')}\n`,
    signedHeaders,
    bodyHash,
  ].join('\n');

  const day = datetime.slice(0, 8);
  const scope = [day, request.region, request.service, 'request'].join('/');
  const stringToSign = ['HMAC-SHA256', datetime, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer | string = credentials.secretAccessKey;
  for (const part of [day, request.region, request.service, 'request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');

  headers.Authorization = `HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/** Names sorted, names and values escaped as the SDK does (RFC 3986 unreserved kept), arrays sorted. */
function canonicalQuery(query: VolcengineRequestToSign['query']): string {
  return Object.keys(query)
    .sort()
    .flatMap((name) => {
      const value = query[name];
      if (value === undefined) return [];
      const values = typeof value === 'string' ? [value] : [...value].map(escape3986).sort();
      return values.map((item) => `${escape3986(name)}=${typeof value === 'string' ? escape3986(item) : item}`);
    })
    .join('&');
}

function escape3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

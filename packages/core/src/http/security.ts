import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether `host` (a bind address or host name) reaches this machine only. */
export function isLoopbackAddress(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^(?:::ffff:)?127\.\d+\.\d+\.\d+$/i.test(host);
}

/** A Host header: a DNS name or IPv4 address, or a bracketed IPv6 address, and an optional port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/;

/**
 * `example.com:8080` -> `example.com`, `[::1]:80` -> `[::1]`; undefined for anything else
 * (`[::1]evil.com`, `127.0.0.1:evil`), which is then never allowed.
 */
export function hostnameOf(hostHeader: string): string | undefined {
  const m = HOST_HEADER.exec(hostHeader.trim().toLowerCase());
  if (!m) return undefined;
  if (m[2] !== undefined && Number(m[2]) > 65535) return undefined;
  return m[1];
}

export interface SecurityPolicy {
  bindHost: string;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
  apiKeys: readonly string[];
  /** The API key is read from X-API-Key only (Authorization carries cloud credentials). */
  apiKeyHeaderOnly: boolean;
}

/**
 * DNS-rebinding protection: a loopback server answers only to loopback names (and the hosts the
 * operator lists), so a web page whose name resolves to 127.0.0.1 cannot reach it. A server bound
 * elsewhere checks Host only when hosts are listed; it is protected by its API key.
 */
export function hostAllowed(policy: SecurityPolicy, hostHeader: string | undefined): boolean {
  const listed = policy.allowedHosts.map((h) => h.toLowerCase());
  const loopbackBind = isLoopbackAddress(policy.bindHost);
  if (!loopbackBind && listed.length === 0) return true;
  if (!hostHeader) return false;
  const full = hostHeader.trim().toLowerCase();
  const name = hostnameOf(full);
  if (name === undefined) return false;
  if (listed.includes(full) || listed.includes(name)) return true;
  if (loopbackBind) return isLoopbackAddress(name);
  return name === policy.bindHost.toLowerCase();
}

/**
 * Browsers send Origin; other clients do not. A present Origin must be listed, or be this
 * server's own origin (the scheme-less `host:port` a browser put in Host, which the Host check
 * already vetted): no page can have that origin unless the server itself served it, and it
 * serves none. Other loopback origins are not trusted by themselves: any page served on
 * localhost (another dev server, a local app) could otherwise drive a server without an API key.
 */
export function originAllowed(policy: SecurityPolicy, origin: string | undefined, hostHeader?: string): boolean {
  if (!origin) return true;
  if (policy.allowedOrigins.includes('*')) return true;
  if (policy.allowedOrigins.includes(origin)) return true;
  if (!hostHeader) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === hostHeader.trim().toLowerCase();
  } catch {
    return false;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares against every key without an early exit, in constant time per key. */
export function apiKeyMatches(keys: readonly string[], presented: string | undefined): boolean {
  if (!presented) return false;
  const given = digest(presented);
  let ok = false;
  for (const key of keys) ok = timingSafeEqual(digest(key), given) || ok;
  return ok;
}

export function presentedApiKey(policy: SecurityPolicy, req: IncomingMessage): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  if (policy.apiKeyHeaderOnly) return undefined;
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null;
  return m ? (m[1] as string) : undefined;
}

const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
  'x-aliyun-access-key-id',
  'x-aliyun-access-key-secret',
  'x-aliyun-security-token',
  'x-aliyun-region',
  'x-tenant-id',
].join(', ');

/** CORS headers for an allowed browser origin; nothing for other requests. */
export function applyCors(res: ServerResponse, origin: string | undefined): void {
  if (!origin) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
  res.setHeader('Access-Control-Expose-Headers', 'mcp-session-id, mcp-protocol-version, www-authenticate');
  res.setHeader('Access-Control-Max-Age', '600');
}

export class BodyTooLargeError extends Error {}

/** Reads a JSON body, refusing more than `limit` bytes (413) without buffering the rest. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

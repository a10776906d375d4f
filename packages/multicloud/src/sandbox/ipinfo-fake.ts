import { isIP } from 'node:net';
import { IPINFO_ANSWERS, IPINFO_DEFAULT_ORG } from './data/ipinfo.js';
import { bearerToken, type FakeReply, type FakeRequest, type FakeServer, startFakeServer } from './rest-fake.js';

/**
 * An in-process ipinfo on 127.0.0.1: `GET /{ip}` or `/{ip}/json`, the token as a Bearer header
 * or `?token=`. With no tokens configured it answers anyone, as ipinfo does at low limits, and
 * adds its "missing auth" readme field. Private addresses answer `{ip, bogon: true}`.
 */

export interface FakeIpinfoOptions {
  /** Tokens the fake accepts; empty: tokenless access is allowed. */
  tokens?: string[];
  /** Extra or replacement answers, by IP. */
  answers?: Record<string, unknown>;
}

export type FakeIpinfo = FakeServer;

export async function startFakeIpinfo(options: FakeIpinfoOptions = {}): Promise<FakeIpinfo> {
  const tokens = new Set(options.tokens ?? []);
  const answers: Record<string, unknown> = { ...IPINFO_ANSWERS, ...options.answers };

  function handle(request: FakeRequest): FakeReply {
    if (request.method !== 'GET') return { status: 405, body: { status: 405, error: { title: 'Method not allowed' } } };
    const token = bearerToken(request.headers) ?? request.query.get('token') ?? undefined;
    if (tokens.size > 0 && (!token || !tokens.has(token))) {
      return {
        status: 403,
        body: { status: 403, error: { title: 'Wrong token', message: 'Please ensure you have a valid token.' } },
      };
    }
    const m = /^\/([^/]+)(?:\/json)?$/.exec(request.path);
    const ip = m ? decodeURIComponent(m[1] as string) : '';
    if (!isIP(ip)) {
      return {
        status: 404,
        body: { status: 404, error: { title: 'Wrong ip', message: 'Please provide a valid IP address' } },
      };
    }
    const readme = token ? {} : { readme: 'https://ipinfo.io/missingauth' };
    if (isPrivate(ip)) return { status: 200, body: { ip, bogon: true } };
    const known = answers[ip];
    return {
      status: 200,
      body: known ? { ...(known as object), ...readme } : { ip, org: IPINFO_DEFAULT_ORG, ...readme },
    };
  }

  return startFakeServer(handle);
}

/** The private and loopback ranges ipinfo calls bogons (enough for the fake's callers). */
function isPrivate(ip: string): boolean {
  return (
    /^(10|127)\./.test(ip) ||
    /^192\.168\./.test(ip) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(ip) ||
    /^169\.254\./.test(ip) ||
    /^(::1|f[cd][0-9a-f]{2}:|fe80:)/i.test(ip)
  );
}

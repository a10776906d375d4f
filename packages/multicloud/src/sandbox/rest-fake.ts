import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The plumbing the DigitalOcean, Vultr and ipinfo fakes share: a 127.0.0.1 HTTP server, a
 * bounded log of what it received, and failures a test can inject for the next matching calls.
 */

export interface ReceivedRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface InjectedFailure {
  /** Matches `METHOD /path` (the path without the query), e.g. /^POST \/v2\/droplets\/\d+\/actions$/. */
  match: RegExp;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** How many matching calls fail (default 1). */
  times?: number;
}

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
}

export interface FakeServer {
  url: string;
  port: number;
  /** The most recent requests, oldest first (at most `MAX_LOGGED_REQUESTS`). */
  requests: ReceivedRequest[];
  failNext(failure: InjectedFailure): void;
  /** Forgets the injected failures not used up yet. */
  clearFailures(): void;
  /** Delays every answer, to exercise timeouts. */
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

export const MAX_LOGGED_REQUESTS = 500;
const MAX_BODY_BYTES = 256 * 1024;

/** The bearer token of a request, or undefined. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match?.[1];
}

export async function startFakeServer(
  handle: (request: FakeRequest) => FakeReply | Promise<FakeReply>,
): Promise<FakeServer> {
  const requests: ReceivedRequest[] = [];
  const failures: Array<InjectedFailure & { left: number }> = [];
  let delayMs = 0;
  let origin = '';

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', origin);
      const method = req.method ?? 'GET';
      const body = Buffer.concat(chunks).toString('utf8');
      let reply: FakeReply;
      const failure = failures.find((f) => f.left > 0 && f.match.test(`${method} ${url.pathname}`));
      if (size > MAX_BODY_BYTES) {
        reply = { status: 413, body: { error: 'request body too large' } };
      } else if (failure) {
        failure.left--;
        reply = {
          status: failure.status,
          body: failure.body,
          ...(failure.headers ? { headers: failure.headers } : {}),
        };
      } else {
        try {
          reply = await handle({
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body,
            origin,
          });
        } catch (error) {
          reply = { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
        }
      }
      requests.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        status: reply.status,
      });
      if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const headers: Record<string, string> = { 'x-request-id': randomUUID(), ...reply.headers };
      if (reply.body === undefined) {
        res.writeHead(reply.status, headers).end();
      } else {
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(reply.body));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    requests,
    failNext: (failure) => failures.push({ ...failure, left: failure.times ?? 1 }),
    clearFailures: () => {
      failures.length = 0;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OpsError } from '../src/errors.js';
import {
  backoffDelay,
  HTTP_RETRY,
  type HttpErrorInfo,
  type HttpRequest,
  parseRetryAfter,
  requestJson,
  sleep,
} from '../src/http-client.js';

interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Answers a request; `n` counts requests from 1. Leaving `res` alone keeps the request pending. */
type Handler = (req: Received, res: ServerResponse, n: number, raw: IncomingMessage) => void;

interface TestServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];

async function serve(handler: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const url = new URL(raw.url ?? '/', 'http://127.0.0.1');
      const req: Received = {
        method: raw.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(req);
      handler(req, res, received.length, raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: TestServer = {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // fetch keeps connections alive, and pending requests hold theirs open.
        server.closeAllConnections();
      }),
  };
  servers.push(handle);
  return handle;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers });
  res.end(body);
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function base(url: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return { service: 'Example', method: 'GET', url, read: true, timeoutMs: 2_000, ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<OpsError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OpsError);
    return error as OpsError;
  }
  throw new Error('expected the request to fail');
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  vi.restoreAllMocks();
});

describe('requestJson: requests and answers', () => {
  it('sends a GET with its query and parses the JSON answer', async () => {
    const server = await serve((_req, res) => json(res, 200, { droplets: [{ id: 1 }] }, { 'x-request-id': 'rid-1' }));
    const response = await requestJson<{ droplets: { id: number }[] }>(
      base(`${server.url}/v2/droplets?tag=web`, {
        query: { page: 2, per_page: 50, public: true, region: undefined },
        headers: { authorization: 'Bearer t' },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ droplets: [{ id: 1 }] });
    expect(response.requestId).toBe('rid-1');
    const [req] = server.received;
    expect(req?.method).toBe('GET');
    expect(req?.path).toBe('/v2/droplets');
    expect(req?.query).toEqual({ tag: 'web', page: '2', per_page: '50', public: 'true' });
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers.authorization).toBe('Bearer t');
    expect(req?.body).toBe('');
  });

  it('sends a POST body as JSON, received as sent', async () => {
    const server = await serve((_req, res) => json(res, 201, { action: { id: 7, status: 'in-progress' } }));
    const payload = { name: 'web-1', size: 's-1vcpu-1gb', tags: ['a', 'b'], nested: { ok: true, n: null } };
    const response = await requestJson(
      base(`${server.url}/v2/droplets`, { method: 'POST', read: false, body: payload, headers: { 'x-extra': '1' } }),
    );
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ action: { id: 7, status: 'in-progress' } });
    const [req] = server.received;
    expect(req?.method).toBe('POST');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['x-extra']).toBe('1');
    expect(JSON.parse(req?.body ?? '')).toEqual(payload);
  });

  it('sends a string body as it is, with the caller’s content type', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    await requestJson(
      base(`${server.url}/q`, {
        method: 'POST',
        read: true,
        body: 'query=up',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(server.received[0]?.body).toBe('query=up');
    expect(server.received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('answers a 204 with an undefined body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const response = await requestJson(base(`${server.url}/v2/droplets/1`, { method: 'DELETE', read: false }));
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
  });

  it('returns a non-JSON 2xx answer as text', async () => {
    const server = await serve((_req, res) => text(res, 200, '203.0.113.7\n'));
    const response = await requestJson<string>(base(`${server.url}/ip`));
    expect(response.body).toBe('203.0.113.7\n');
  });

  it('parses a body that looks like JSON even without a JSON content type', async () => {
    const server = await serve((_req, res) => text(res, 200, '[1,2]'));
    expect((await requestJson(base(`${server.url}/x`))).body).toEqual([1, 2]);
  });

  it('fails with UPSTREAM_ERROR when a 2xx body claims JSON but is not', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>proxy login</html>');
    });
    const error = await failure(requestJson(base(`${server.url}/x`)));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain('not valid JSON');
    expect(error.message).toContain('<html>proxy login</html>');
    expect(server.received).toHaveLength(1);
  });

  it('reads the request id from a JSON success body when no header carries it', async () => {
    const server = await serve((_req, res) => json(res, 200, { RequestId: 'ACS-1', Clusters: [] }));
    expect((await requestJson(base(`${server.url}/x`))).requestId).toBe('ACS-1');
  });

  it('refuses a GET with a body before sending anything', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const error = await failure(requestJson(base(`${server.url}/x`, { body: { a: 1 } })));
    expect(error.code).toBe('INTERNAL');
    expect(server.received).toHaveLength(0);
  });
});

describe('requestJson: retries', () => {
  beforeEach(() => {
    // No jitter wait: the retry count is what these tests check, not the delay.
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });

  it('retries a read on 503 and returns the answer that follows', async () => {
    const server = await serve((_req, res, n) =>
      n < 3 ? json(res, 503, { message: 'busy' }) : json(res, 200, { ok: true }),
    );
    const response = await requestJson(base(`${server.url}/v2/account`));
    expect(response.body).toEqual({ ok: true });
    expect(server.received).toHaveLength(3);
  });

  it.each([429, 502, 504])('retries a read on %i', async (status) => {
    const server = await serve((_req, res, n) => (n === 1 ? json(res, status, {}) : json(res, 200, { ok: 1 })));
    expect((await requestJson(base(`${server.url}/x`))).body).toEqual({ ok: 1 });
    expect(server.received).toHaveLength(2);
  });

  it('retries a read when the server resets the connection', async () => {
    const server = await serve((_req, res, n, raw) => {
      if (n === 1) raw.socket.destroy();
      else json(res, 200, { ok: true });
    });
    const response = await requestJson(base(`${server.url}/x`));
    expect(response.body).toEqual({ ok: true });
    expect(server.received).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 500])('does not retry a read on %i', async (status) => {
    const server = await serve((_req, res) => json(res, status, { message: 'no' }));
    await failure(requestJson(base(`${server.url}/x`)));
    expect(server.received).toHaveLength(1);
  });

  it('does not retry a write on 503, and says its outcome is unknown', async () => {
    const server = await serve((_req, res) => json(res, 503, { id: 'service_unavailable', message: 'try later' }));
    const error = await failure(
      requestJson(base(`${server.url}/v2/droplets`, { method: 'POST', read: false, body: { name: 'a' } })),
    );
    expect(server.received).toHaveLength(1);
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('outcome is unknown');
    expect(error.message).toMatch(/check the resource's current state before retrying/i);
    expect(error.upstream).toEqual({ code: 'service_unavailable', status: 503, requestId: undefined });
  });

  it('does not retry a write on 429, and says its outcome is unknown', async () => {
    const server = await serve((_req, res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '0' }));
    const error = await failure(requestJson(base(`${server.url}/x`, { method: 'PUT', read: false, body: {} })));
    expect(server.received).toHaveLength(1);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('outcome is unknown');
  });

  it('does not retry a write whose connection was reset, and says its outcome is unknown', async () => {
    const server = await serve((_req, _res, _n, raw) => raw.socket.destroy());
    const error = await failure(requestJson(base(`${server.url}/x`, { method: 'POST', read: false, body: {} })));
    expect(server.received).toHaveLength(1);
    expect(error.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('outcome is unknown');
  });

  it('says a refused write was not sent', async () => {
    const port = await closedPort();
    const error = await failure(
      requestJson(base(`http://127.0.0.1:${port}/x`, { method: 'POST', read: false, body: {} })),
    );
    expect(error.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(error.message).toContain('connection was refused');
    expect(error.message).toContain('not sent');
    expect(error.message).not.toContain('outcome is unknown');
    expect(error.retryable).toBe(true);
  });

  it('maps a refused read, after its retries, to PROVIDER_NOT_AVAILABLE', async () => {
    const port = await closedPort();
    const error = await failure(requestJson(base(`http://127.0.0.1:${port}/x`)));
    expect(error.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(error.message).toContain('connection was refused');
    expect(error.message).toContain('3 attempts');
  });

  it.each([
    [0, 1],
    [3, 4],
    [99, HTTP_RETRY.maxRetriesCap + 1],
    [-1, 1],
  ])('bounds the retries: maxRetries %i makes %i attempts', async (maxRetries, attempts) => {
    const server = await serve((_req, res) => json(res, 503, {}));
    const error = await failure(requestJson(base(`${server.url}/x`, { maxRetries })));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.retryable).toBe(true);
    expect(server.received).toHaveLength(attempts);
  });

  it('makes 3 attempts by default', async () => {
    const server = await serve((_req, res) => json(res, 502, {}));
    await failure(requestJson(base(`${server.url}/x`)));
    expect(server.received).toHaveLength(HTTP_RETRY.defaultMaxRetries + 1);
  });

  it('honours Retry-After on 429', async () => {
    const server = await serve((_req, res, n) =>
      n === 1 ? json(res, 429, { message: 'slow down' }, { 'retry-after': '1' }) : json(res, 200, { ok: true }),
    );
    const started = Date.now();
    await requestJson(base(`${server.url}/x`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.received).toHaveLength(2);
  });

  it('gives up at once when Retry-After asks for longer than it would wait', async () => {
    const server = await serve((_req, res) => json(res, 429, { message: 'quota' }, { 'retry-after': '60' }));
    const started = Date.now();
    const error = await failure(requestJson(base(`${server.url}/x`)));
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.received).toHaveLength(1);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.hint).toContain('Wait 60 s');
  });
});

describe('requestJson: error mapping', () => {
  const cases: {
    name: string;
    status: number;
    body: unknown;
    headers?: Record<string, string>;
    code: string;
    upstreamCode?: string;
    message: string;
    requestId?: string;
  }[] = [
    {
      name: '400 {code,message} (Alibaba ROA)',
      status: 400,
      body: { code: 'InvalidParameter', message: 'cluster_id is malformed', requestId: 'roa-1' },
      code: 'INVALID_ARGUMENT',
      upstreamCode: 'InvalidParameter',
      message: 'cluster_id is malformed',
      requestId: 'roa-1',
    },
    {
      name: '422 {id,message} (DigitalOcean)',
      status: 422,
      body: { id: 'unprocessable_entity', message: 'Name is invalid', request_id: 'do-1' },
      code: 'INVALID_ARGUMENT',
      upstreamCode: 'unprocessable_entity',
      message: 'Name is invalid',
      requestId: 'do-1',
    },
    {
      name: '401 {Code,Message} (Alibaba RPC)',
      status: 401,
      body: { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.', RequestId: 'rpc-1' },
      code: 'INVALID_CREDENTIALS',
      upstreamCode: 'InvalidAccessKeyId.NotFound',
      message: 'Specified access key is not found.',
      requestId: 'rpc-1',
    },
    {
      name: '403 {errorCode,errorMessage} (SLS) with x-log-requestid',
      status: 403,
      body: { errorCode: 'Unauthorized', errorMessage: 'denied by sts or ram' },
      headers: { 'x-log-requestid': 'sls-1' },
      code: 'PERMISSION_DENIED',
      upstreamCode: 'Unauthorized',
      message: 'denied by sts or ram',
      requestId: 'sls-1',
    },
    {
      name: '404 {error:"…"} (Vultr) with x-request-id',
      status: 404,
      body: { error: 'Invalid instance-id.', status: 404 },
      headers: { 'x-request-id': 'vultr-1' },
      code: 'RESOURCE_NOT_FOUND',
      message: 'Invalid instance-id.',
      requestId: 'vultr-1',
    },
    {
      name: '409 {error:{code,message}}',
      status: 409,
      body: { error: { code: 'Conflict', message: 'an action is already in progress' } },
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'Conflict',
      message: 'an action is already in progress',
    },
    {
      name: '429 with x-acs-request-id',
      status: 429,
      body: { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' },
      headers: { 'x-acs-request-id': 'acs-1' },
      code: 'RATE_LIMITED',
      upstreamCode: 'Throttling.User',
      message: 'flow control',
      requestId: 'acs-1',
    },
    {
      name: '400 {status:"error",errorType,error} (Prometheus)',
      status: 400,
      body: { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": parse error' },
      code: 'INVALID_ARGUMENT',
      upstreamCode: 'bad_data',
      message: 'invalid parameter "query": parse error',
    },
    {
      name: '500 with x-amzn-requestid',
      status: 500,
      body: { message: 'internal failure' },
      headers: { 'x-amzn-requestid': 'aws-1' },
      code: 'UPSTREAM_ERROR',
      message: 'internal failure',
      requestId: 'aws-1',
    },
    {
      name: '503 {code: number, message}',
      status: 503,
      body: { code: 503, message: 'maintenance' },
      code: 'UPSTREAM_ERROR',
      upstreamCode: '503',
      message: 'maintenance',
    },
    {
      name: '418 (another 4xx)',
      status: 418,
      body: { message: 'teapot' },
      code: 'UPSTREAM_ERROR',
      message: 'teapot',
    },
  ];

  it.each(cases)('$name → $code', async (c) => {
    const server = await serve((_req, res) => json(res, c.status, c.body, c.headers));
    const error = await failure(requestJson(base(`${server.url}/v1/things/42?token=x`, { maxRetries: 0 })));
    expect(error.code).toBe(c.code);
    expect(error.message).toContain(c.message);
    expect(error.message).toContain('Example');
    expect(error.message).toContain('/v1/things/42');
    expect(error.upstream).toEqual({ code: c.upstreamCode, status: c.status, requestId: c.requestId });
  });

  it('keeps 409 and a read’s 500 not retryable, a read’s 503 retryable', async () => {
    const statuses = [409, 500, 503];
    const server = await serve((req, res) => json(res, Number(req.query.s), {}));
    const errors = await Promise.all(
      statuses.map((s) => failure(requestJson(base(`${server.url}/x`, { query: { s }, maxRetries: 0 })))),
    );
    expect(errors.map((e) => e.retryable)).toEqual([false, false, true]);
  });

  it('quotes a non-JSON error body only up to 300 characters', async () => {
    const long = `start ${'x'.repeat(1_000)}`;
    const server = await serve((_req, res) => text(res, 502, long));
    const error = await failure(requestJson(base(`${server.url}/x`, { maxRetries: 0 })));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toContain(`start ${'x'.repeat(294)}…`);
    expect(error.message).not.toContain('x'.repeat(295));
  });

  it('cuts a long upstream message too', async () => {
    const server = await serve((_req, res) => json(res, 400, { message: 'y'.repeat(2_000) }));
    const error = await failure(requestJson(base(`${server.url}/x`)));
    expect(error.message).toContain(`${'y'.repeat(300)}…`);
    expect(error.message).not.toContain('y'.repeat(301));
  });

  it('gives mapError no json for a plain-text error body', async () => {
    const server = await serve((_req, res) => text(res, 502, 'Bad Gateway'));
    let seen: HttpErrorInfo | undefined;
    await failure(
      requestJson(
        base(`${server.url}/x`, {
          maxRetries: 0,
          mapError: (info) => {
            seen = info;
            return undefined;
          },
        }),
      ),
    );
    expect(seen?.json).toBeUndefined();
    expect(seen?.bodyText).toBe('Bad Gateway');
    expect(seen?.code).toBeUndefined();
  });

  it('takes the request id from the configured headers first', async () => {
    const server = await serve((_req, res) =>
      json(res, 404, { message: 'gone', request_id: 'body-id' }, { 'x-my-id': 'mine', 'x-request-id': 'std' }),
    );
    const error = await failure(requestJson(base(`${server.url}/x`, { requestIdHeaders: ['x-my-id'] })));
    expect(error.upstream?.requestId).toBe('mine');
  });

  it('lets mapError handle provider codes and fall back to the default mapping', async () => {
    const server = await serve((req, res) =>
      json(res, 400, { Code: req.query.c === 'quota' ? 'QuotaExceeded' : 'Other', Message: 'm' }),
    );
    const seen: HttpErrorInfo[] = [];
    const mapError = (info: HttpErrorInfo) => {
      seen.push(info);
      return info.code === 'QuotaExceeded' ? new OpsError('RATE_LIMITED', 'quota exceeded') : undefined;
    };
    const quota = await failure(requestJson(base(`${server.url}/x`, { query: { c: 'quota' }, mapError })));
    expect(quota.code).toBe('RATE_LIMITED');
    expect(quota.message).toBe('quota exceeded');
    const other = await failure(requestJson(base(`${server.url}/x`, { mapError })));
    expect(other.code).toBe('INVALID_ARGUMENT');
    expect(seen[0]).toMatchObject({
      service: 'Example',
      method: 'GET',
      path: '/x',
      status: 400,
      code: 'QuotaExceeded',
      message: 'm',
      read: true,
      json: { Code: 'QuotaExceeded', Message: 'm' },
    });
    expect(seen[0]?.bodyText).toBe('{"Code":"QuotaExceeded","Message":"m"}');
  });

  it('keeps a write’s unknown outcome even when mapError maps the failure', async () => {
    const server = await serve((_req, res) => json(res, 500, { Code: 'InternalError' }));
    const error = await failure(
      requestJson(
        base(`${server.url}/x`, {
          method: 'POST',
          read: false,
          body: {},
          mapError: () => new OpsError('PROVIDER_NOT_AVAILABLE', 'provider hiccup.'),
        }),
      ),
    );
    expect(error.code).toBe('PROVIDER_NOT_AVAILABLE');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('outcome is unknown');
  });
});

describe('requestJson: timeouts and cancellation', () => {
  beforeEach(() => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });

  it('times out each attempt and maps the last to TIMEOUT', async () => {
    const server = await serve(() => {});
    const started = Date.now();
    const error = await failure(requestJson(base(`${server.url}/slow`, { timeoutMs: 100, maxRetries: 1 })));
    const elapsed = Date.now() - started;
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('100 ms');
    expect(server.received).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('times out a write once, with its outcome unknown', async () => {
    const server = await serve(() => {});
    const error = await failure(
      requestJson(base(`${server.url}/slow`, { method: 'POST', read: false, body: {}, timeoutMs: 100 })),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('outcome is unknown');
    expect(server.received).toHaveLength(1);
  });

  it('times out a body that stops halfway', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items":[');
    });
    const error = await failure(requestJson(base(`${server.url}/x`, { timeoutMs: 150, maxRetries: 0 })));
    expect(error.code).toBe('TIMEOUT');
  });

  it('stops a pending request as soon as the caller aborts, as CANCELLED', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await failure(requestJson(base(`${server.url}/x`, { signal: controller.signal, timeoutMs: 5_000 })));
    expect(Date.now() - started).toBeLessThan(150);
    expect(error.code).toBe('CANCELLED');
    expect(error.retryable).toBe(false);
    expect(server.received).toHaveLength(1);
  });

  it('rethrows the abort reason when it is an OpsError', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const reason = new OpsError('TIMEOUT', 'tool did not finish within 50 ms.');
    setTimeout(() => controller.abort(reason), 50);
    const error = await failure(requestJson(base(`${server.url}/x`, { signal: controller.signal })));
    expect(error).toBe(reason);
  });

  it('stops a pending backoff sleep as soon as the caller aborts', async () => {
    const server = await serve((_req, res) => json(res, 503, {}, { 'retry-after': '5' }));
    const controller = new AbortController();
    const reason = new OpsError('TIMEOUT', 'tool timed out');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 50);
    const error = await failure(requestJson(base(`${server.url}/x`, { signal: controller.signal })));
    expect(Date.now() - started).toBeLessThan(150);
    expect(error).toBe(reason);
    expect(server.received).toHaveLength(1);
  });

  it('says a write cancelled in flight has an unknown outcome', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await failure(
      requestJson(base(`${server.url}/x`, { method: 'POST', read: false, body: {}, signal: controller.signal })),
    );
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toContain('outcome is unknown');
  });

  it('sends nothing when the caller has already aborted', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const error = await failure(requestJson(base(`${server.url}/x`, { signal: AbortSignal.abort() })));
    expect(error.code).toBe('CANCELLED');
    expect(server.received).toHaveLength(0);
  });
});

describe('requestJson: secrets stay out of errors', () => {
  const secret = 'sekret-token-4242';

  it('never quotes the Authorization header or a query token in any message', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const server = await serve((req, res) => {
      const mode = req.query.mode;
      if (mode === 'hang') return;
      if (mode === 'reset') {
        res.socket?.destroy();
        return;
      }
      json(res, Number(mode), { message: 'nope' });
    });
    const port = await closedPort();
    const auth = { authorization: `Bearer ${secret}`, 'x-api-key': secret };
    const attempts: Promise<unknown>[] = [
      ...['400', '401', '403', '404', '409', '429', '500', '503', 'reset'].flatMap((mode) => [
        requestJson(base(`${server.url}/x?token=${secret}`, { query: { mode }, headers: auth, maxRetries: 0 })),
        requestJson(
          base(`${server.url}/x?token=${secret}`, { query: { mode }, headers: auth, method: 'POST', read: false }),
        ),
      ]),
      requestJson(base(`${server.url}/x?token=${secret}`, { query: { mode: 'hang' }, headers: auth, timeoutMs: 50 })),
      requestJson(base(`http://127.0.0.1:${port}/x?token=${secret}`, { headers: auth, maxRetries: 0 })),
      requestJson(base(`${server.url}/x`, { headers: { authorization: `Bearer ${secret}\nx` } })),
      requestJson(base(`not a url ${secret}`, { headers: auth })),
    ];
    const errors = await Promise.all(attempts.map(failure));
    expect(errors.length).toBe(attempts.length);
    for (const error of errors) {
      expect(`${error.message} ${error.hint ?? ''}`).not.toContain(secret);
    }
    expect(errors.find((e) => e.message.includes("header 'authorization'"))?.code).toBe('INVALID_ARGUMENT');
  });
});

describe('helpers', () => {
  it('backoffDelay grows exponentially under full jitter and stays under the cap', () => {
    expect(backoffDelay(0, () => 0)).toBe(0);
    expect(backoffDelay(0, () => 0.999)).toBeLessThan(HTTP_RETRY.baseDelayMs);
    expect(backoffDelay(1, () => 0.999)).toBeGreaterThanOrEqual(HTTP_RETRY.baseDelayMs);
    expect(backoffDelay(1, () => 0.999)).toBeLessThan(2 * HTTP_RETRY.baseDelayMs);
    expect(backoffDelay(20, () => 0.999)).toBeLessThan(HTTP_RETRY.maxDelayMs);
    for (let i = 0; i < 100; i++) expect(backoffDelay(3)).toBeLessThan(8 * HTTP_RETRY.baseDelayMs);
  });

  it('parseRetryAfter reads seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('sleep resolves after its delay and rejects with the reason on abort', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    await expect(sleep(5_000, controller.signal)).rejects.toBe(reason);
    await expect(sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});

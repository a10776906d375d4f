import type { LookupAddress } from 'node:dns';
import { Agent, request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loopbackLookup,
  type RecordingHandler,
  type RecordingServer,
  startRecordingServer,
} from '../src/testing/recording-server.js';

const servers: RecordingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(handler?: RecordingHandler): Promise<RecordingServer> {
  const server = await startRecordingServer(handler);
  servers.push(server);
  return server;
}

interface Sent {
  status: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent } = {},
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ...(options.agent ? { agent: options.agent } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('startRecordingServer', () => {
  it('listens on 127.0.0.1 with a free port', async () => {
    const server = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.host).toBe(`127.0.0.1:${server.port}`);
    expect(server.urlFor('proj.sls.test')).toBe(`http://proj.sls.test:${server.port}`);
  });

  it('records method, url, path, query, lower-cased headers and body', async () => {
    const server = await start();
    const before = Date.now();
    await send(`${server.url}/api/v1/clusters%2Fx/logs?tail=10&filter=a+b&name=%E4%B8%AD&tail=20`, {
      method: 'POST',
      headers: { 'X-Acs-Action': 'DescribeClusters', 'Content-Type': 'application/json' },
      body: '{"name":"中"}',
    });

    expect(server.requests).toHaveLength(1);
    const recorded = server.lastRequest();
    expect(recorded.method).toBe('POST');
    expect(recorded.url).toBe('/api/v1/clusters%2Fx/logs?tail=10&filter=a+b&name=%E4%B8%AD&tail=20');
    expect(recorded.path).toBe('/api/v1/clusters%2Fx/logs');
    expect(recorded.query).toEqual({ tail: '20', filter: 'a b', name: '中' });
    expect(recorded.headers['x-acs-action']).toBe('DescribeClusters');
    expect(recorded.headers['content-type']).toBe('application/json');
    expect(recorded.headers.host).toBe(server.host);
    expect(recorded.body).toBe('{"name":"中"}');
    expect(recorded.rawBody.equals(Buffer.from('{"name":"中"}', 'utf8'))).toBe(true);
    expect(recorded.receivedAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('keeps binary bodies byte for byte', async () => {
    const server = await start();
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a]);
    await send(server.url, { method: 'PUT', body: bytes });
    expect(server.lastRequest().rawBody.equals(bytes)).toBe(true);
  });

  it('passes each request to the handler and answers with its reply', async () => {
    const seen: string[] = [];
    const server = await start(async (request) => {
      seen.push(request.path);
      if (request.path === '/json') return { status: 201, headers: { 'X-Request-Id': 'r-1' }, body: { ok: true } };
      if (request.path === '/text') return { body: '<xml/>', headers: { 'content-type': 'text/xml' } };
      if (request.path === '/bytes') return { body: new Uint8Array([1, 2, 3]) };
      return undefined;
    });

    const json = await send(`${server.url}/json`);
    expect(json.status).toBe(201);
    expect(json.headers['x-request-id']).toBe('r-1');
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.body.toString())).toEqual({ ok: true });

    const text = await send(`${server.url}/text`);
    expect(text.headers['content-type']).toBe('text/xml');
    expect(text.body.toString()).toBe('<xml/>');

    const bytes = await send(`${server.url}/bytes`);
    expect(bytes.headers['content-type']).toBe('application/octet-stream');
    expect([...bytes.body]).toEqual([1, 2, 3]);

    const empty = await send(`${server.url}/nothing`);
    expect(empty.status).toBe(200);
    expect(empty.body.length).toBe(0);

    expect(seen).toEqual(['/json', '/text', '/bytes', '/nothing']);
    expect(server.requests.map((request) => request.path)).toEqual(seen);
  });

  it('answers 500 when the handler throws and keeps the error', async () => {
    const server = await start(() => {
      throw new Error('unexpected action Foo');
    });
    const reply = await send(`${server.url}/`);
    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.body.toString())).toEqual({
      code: 'RecordingServerHandlerError',
      message: 'unexpected action Foo',
    });
    expect(server.handlerErrors.map((error) => error.message)).toEqual(['unexpected action Foo']);
    expect(server.requests).toHaveLength(1);
  });

  it('answers 500 when the reply cannot be sent', async () => {
    const server = await start(() => ({ status: 42 }));
    const reply = await send(`${server.url}/`);
    expect(reply.status).toBe(500);
    expect(server.handlerErrors).toHaveLength(1);
  });

  it('lastRequest() throws before any request; reset() empties the same array', async () => {
    const server = await start();
    expect(() => server.lastRequest()).toThrow('the recording server has not received any request');
    const requests = server.requests;
    await send(`${server.url}/a`);
    await send(`${server.url}/b`);
    expect(server.lastRequest().path).toBe('/b');
    server.reset();
    expect(server.requests).toBe(requests);
    expect(requests).toHaveLength(0);
    expect(server.handlerErrors).toHaveLength(0);
  });

  it('reaches the fake under a virtual host name through its agent or its lookup', async () => {
    const server = await start();
    await send(`${server.urlFor('my-project.cn-hangzhou.log.test')}/logstores`, { agent: server.agent });
    expect(server.lastRequest().headers.host).toBe(`my-project.cn-hangzhou.log.test:${server.port}`);

    const ownAgent = new Agent({ lookup: server.lookup, keepAlive: true });
    try {
      await send(`${server.urlFor('bucket.s3.test')}/key`, { agent: ownAgent });
    } finally {
      ownAgent.destroy();
    }
    expect(server.lastRequest().headers.host).toBe(`bucket.s3.test:${server.port}`);
  });

  it('loopbackLookup answers 127.0.0.1 in both callback forms', async () => {
    const single = await new Promise<[string | LookupAddress[], number | undefined]>((resolve, reject) =>
      loopbackLookup('anything.example', {}, (error, address, family) =>
        error ? reject(error) : resolve([address, family]),
      ),
    );
    expect(single).toEqual(['127.0.0.1', 4]);
    const all = await new Promise<string | LookupAddress[]>((resolve, reject) =>
      loopbackLookup('anything.example', { all: true }, (error, address) => (error ? reject(error) : resolve(address))),
    );
    expect(all).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('close() returns promptly while a keep-alive client still holds a connection', async () => {
    const server = await startRecordingServer();
    const keepAlive = new Agent({ keepAlive: true });
    try {
      await send(`${server.url}/`, { agent: keepAlive });
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      keepAlive.destroy();
    }
  });
});

import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import type { VerifiableRequest } from '../signing/common.js';

/**
 * An HTTP fake for tests: it listens on 127.0.0.1 (a free port), records every request it
 * receives and answers with whatever the test's handler returns. A recorded request is a
 * `VerifiableRequest`, so a fake can check with the verifiers of `../signing/` that the client
 * signed its requests with the configured keys.
 *
 * Pointing a client at it:
 * - Clients that take an endpoint or base URL: use `server.url` (`http://127.0.0.1:<port>`)
 *   or `server.host` (`127.0.0.1:<port>`) with the client's `http:` protocol option.
 * - Clients that put a name in front of the endpoint (Alibaba SLS sends to
 *   `<project>.<endpoint>`, S3 to `<bucket>.<endpoint>`): that name does not resolve.
 *   Configure the endpoint as `server.urlFor('sls.test')` or just `sls.test:<port>`, and give
 *   the client's HTTP layer `server.agent` (an `http.Agent` whose DNS lookup answers
 *   127.0.0.1 for every name) or `new http.Agent({ lookup: server.lookup })`. The request then
 *   reaches this server with its virtual `Host` header intact, and nothing leaves 127.0.0.1.
 */

/** One request as the fake received it; the signature verifiers read it as it is. */
export interface RecordedRequest extends VerifiableRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The request target as sent: path plus `?query`, percent-encoding kept. */
  url: string;
  /** The path part of `url`, percent-encoding kept. */
  path: string;
  /** Decoded query parameters (`+` reads as a space); a repeated name keeps its last value. */
  query: Record<string, string>;
  /** Lower-cased header names; a repeated header's values are joined with `, `. */
  headers: Record<string, string>;
  /** The body decoded as UTF-8 (empty string when there is none). */
  body: string;
  /** The body bytes as received: what signatures over binary payloads (SLS PutLogs) cover. */
  rawBody: Buffer;
  receivedAt: Date;
}

/** What the handler answers. `body` as an object (not bytes) is sent as JSON. */
export interface RecordingReply {
  /** Default 200. */
  status?: number;
  /** Headers to send; an `undefined` value is left out. */
  headers?: Record<string, string | undefined>;
  body?: string | Uint8Array | object;
}

export type RecordingHandler = (
  request: RecordedRequest,
) => RecordingReply | undefined | Promise<RecordingReply | undefined>;

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** `127.0.0.1:<port>`, for clients configured with an endpoint host rather than a URL. */
  host: string;
  /** Every request received since the start or the last `reset()`, oldest first (the same array throughout). */
  requests: RecordedRequest[];
  /** Errors thrown by the handler or met sending its reply (answered with a 500); a test can assert it stays empty. */
  handlerErrors: Error[];
  /** The most recent request; throws when none was received, so a test fails with a clear message. */
  lastRequest(): RecordedRequest;
  /** Forgets the recorded requests and handler errors. */
  reset(): void;
  /** `http://<hostname>:<port>`: a URL under a virtual host name that `lookup` sends here. */
  urlFor(hostname: string): string;
  /** A DNS lookup that answers 127.0.0.1 for every host name. */
  lookup: LookupFunction;
  /** An `http.Agent` that connects every host name to 127.0.0.1 (destroyed by `close()`). */
  agent: Agent;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Resolves every host name to 127.0.0.1. Node 20 asks with `all: true` when it races address
 * families, so both callback forms are served.
 */
export const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

export async function startRecordingServer(handler: RecordingHandler = () => undefined): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const handlerErrors: Error[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = record(req, Buffer.concat(chunks));
      requests.push(recorded);
      void answer(recorded, res);
    });
  });

  async function answer(recorded: RecordedRequest, res: ServerResponse): Promise<void> {
    try {
      send(res, (await handler(recorded)) ?? {});
    } catch (error) {
      // A throwing handler (or an unsendable reply) is a test bug: keep it for the test to see.
      const failure = error instanceof Error ? error : new Error(String(error));
      handlerErrors.push(failure);
      if (res.headersSent) res.destroy();
      else send(res, { status: 500, body: { code: 'RecordingServerHandlerError', message: failure.message } });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ lookup: loopbackLookup });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    host: `127.0.0.1:${port}`,
    requests,
    handlerErrors,
    lastRequest() {
      const last = requests.at(-1);
      if (!last) throw new Error('the recording server has not received any request');
      return last;
    },
    reset() {
      requests.length = 0;
      handlerErrors.length = 0;
    },
    urlFor(hostname: string) {
      return `http://${hostname}:${port}`;
    },
    lookup: loopbackLookup,
    agent,
    close() {
      agent.destroy();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive clients would otherwise hold close() open until they time out.
        server.closeAllConnections();
      });
    },
  };
}

function record(req: IncomingMessage, rawBody: Buffer): RecordedRequest {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart < 0 ? url : url.slice(0, queryStart);
  const query: Record<string, string> = {};
  if (queryStart >= 0) {
    for (const [name, value] of new URLSearchParams(url.slice(queryStart + 1))) query[name] = value;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    path,
    query,
    headers,
    body: rawBody.toString('utf8'),
    rawBody,
    receivedAt: new Date(),
  };
}

function send(res: ServerResponse, reply: RecordingReply): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }

  let payload: string | Uint8Array;
  let defaultType: string | undefined;
  if (reply.body === undefined) {
    payload = '';
  } else if (typeof reply.body === 'string') {
    payload = reply.body;
    defaultType = 'text/plain; charset=utf-8';
  } else if (reply.body instanceof Uint8Array) {
    payload = reply.body;
    defaultType = 'application/octet-stream';
  } else {
    payload = JSON.stringify(reply.body);
    defaultType = 'application/json; charset=utf-8';
  }
  if (defaultType && headers['content-type'] === undefined) headers['content-type'] = defaultType;
  headers['content-length'] = String(Buffer.byteLength(payload));

  res.writeHead(reply.status ?? 200, headers);
  res.end(payload);
}

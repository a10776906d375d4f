import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  parseVolcengineSignatureHeader,
  type VolcengineVerifyResult,
  verifyVolcengineSignature,
} from '@opsmcp/core/signing';
import { API_VERSION } from '../volcengine/endpoint.js';
import { createSandboxState, type SandboxState } from './data.js';
import { FakeApiError, operations } from './operations.js';

/**
 * An in-process Volcengine OpenAPI endpoint for RocketMQ on 127.0.0.1: Action/Version in the
 * query, JSON body, the `ResponseMetadata`/`Result` envelope, gateway errors for bad signatures,
 * and answers from a simulated account. The sandbox serves users from it; tests use the same
 * fake and read what it received.
 */

export interface FakeKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests with this key must carry and sign this X-Security-Token. */
  sessionToken?: string;
}

export interface FakeVolcengineOptions {
  /** The keys the fake account accepts. More can be added later with `addKey`. */
  keys: FakeKey[];
  /** Scope service names accepted (the gateway is documented with both spellings). */
  services?: string[];
  state?: SandboxState;
  /** How many received requests to keep for inspection (default 200). */
  maxRecorded?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  action: string | undefined;
  /** Region and key from the credential scope, when the Authorization header parsed. */
  region: string | undefined;
  accessKeyId: string | undefined;
  /** The signature check's verdict (`not checked` when the request was refused before it). */
  signature: VolcengineVerifyResult;
  status: number;
  errorCode: string | undefined;
}

export interface InjectedFailure {
  status: number;
  code: string;
  message: string;
  codeN?: number;
}

export interface FakeVolcengine {
  /** `http://127.0.0.1:<port>`, usable as VOLCENGINE_ENDPOINT. */
  url: string;
  port: number;
  state: SandboxState;
  /** The most recent requests (at most `maxRecorded`), oldest first. */
  requests: ReceivedRequest[];
  addKey(key: FakeKey): void;
  /** Answers the next `times` calls of `action` with this error instead of the data. */
  failNext(action: string, failure: InjectedFailure, times?: number): void;
  /** Delays every answer, to exercise timeouts. */
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function startFakeVolcengine(options: FakeVolcengineOptions): Promise<FakeVolcengine> {
  const keys = new Map(options.keys.map((k) => [k.accessKeyId, k]));
  const services = options.services ?? ['RocketMQ', 'rocketmq'];
  const state = options.state ?? createSandboxState();
  const requests: ReceivedRequest[] = [];
  const maxRecorded = options.maxRecorded ?? 200;
  const failures = new Map<string, Array<InjectedFailure>>();
  let delayMs = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const action = query.Action;
    const auth = parseVolcengineSignatureHeader(req.headers.authorization);
    const record: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      headers: req.headers,
      body,
      action,
      region: auth?.region,
      accessKeyId: auth?.accessKeyId,
      signature: { ok: false, reason: 'not checked' },
      status: 200,
      errorCode: undefined,
    };
    requests.push(record);
    // A long-running sandbox must not grow with every call: keep only the recent ones.
    if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));

    const meta = {
      RequestId: requestId(),
      Action: action,
      Version: query.Version,
      Service: 'RocketMQ',
      Region: auth?.region,
    };
    const reply = (status: number, payload: unknown) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(payload));
    };
    const error = (e: FakeApiError, gateway = false) => {
      record.errorCode = e.code;
      const wireError = { ...(e.codeN === undefined ? {} : { CodeN: e.codeN }), Code: e.code, Message: e.message };
      reply(e.status, {
        ResponseMetadata: gateway ? { RequestId: meta.RequestId, Error: wireError } : { ...meta, Error: wireError },
      });
    };

    if (!action || !query.Version) {
      return error(
        new FakeApiError(400, 'MissingParameter', 'The request is missing Action or Version parameter.', 100002),
        true,
      );
    }
    if (record.method !== 'POST') {
      return error(new FakeApiError(405, 'MethodNotAllowed', `${record.method} is not allowed for ${action}.`));
    }
    if (!auth) {
      return error(
        new FakeApiError(401, 'MissingAuthenticationToken', 'The request has no valid Authorization header.', 100003),
      );
    }
    const key = keys.get(auth.accessKeyId);
    if (!key) {
      return error(
        new FakeApiError(
          401,
          'InvalidAccessKey',
          `The accesskey [${auth.accessKeyId}] included in the request is invalid.`,
          100009,
        ),
      );
    }
    record.signature = verifyVolcengineSignature(
      { method: record.method, path: url.pathname, query, headers: req.headers, body },
      {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        sessionToken: key.sessionToken,
        service: services,
      },
    );
    if (!record.signature.ok) return error(gatewayErrorFor(record.signature.reason));
    if (!state.regions.some((r) => r.RegionId === auth.region)) {
      return error(new FakeApiError(400, 'InvalidParameter', `RocketMQ is not available in region ${auth.region}.`));
    }
    const operation = query.Version === API_VERSION ? operations[action] : undefined;
    if (!operation) {
      return error(
        new FakeApiError(
          404,
          'InvalidActionOrVersion',
          `Could not find operation ${action} for version ${query.Version}.`,
          100008,
        ),
      );
    }
    const injected = failures.get(action)?.shift();
    if (injected) return error(new FakeApiError(injected.status, injected.code, injected.message, injected.codeN));

    let params: Record<string, unknown>;
    try {
      params = body.trim() === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new Error('not an object');
    } catch {
      return error(new FakeApiError(400, 'InvalidParameter', 'The request body is not a JSON object.'));
    }
    try {
      reply(200, { ResponseMetadata: meta, Result: operation(state, params, auth.region) });
    } catch (e) {
      if (e instanceof FakeApiError) return error(e);
      return error(new FakeApiError(500, 'InternalError', 'The fake endpoint failed.', 100014));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    requests,
    addKey: (key) => keys.set(key.accessKeyId, key),
    failNext: (action, failure, times = 1) => {
      const queue = failures.get(action) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      failures.set(action, queue);
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The gateway's answer for a request whose signature check failed. */
function gatewayErrorFor(reason: string): FakeApiError {
  if (reason.includes('X-Security-Token')) {
    return new FakeApiError(401, 'InvalidSecretToken', `The security token is invalid: ${reason}.`);
  }
  if (/X-Date .* away/.test(reason)) {
    return new FakeApiError(403, 'InvalidTimestamp', 'The request timestamp is expired or in the future.', 100006);
  }
  if (reason.includes('scope service')) {
    return new FakeApiError(
      404,
      'ServiceNotFound',
      `The service in the credential scope was not found: ${reason}.`,
      100007,
    );
  }
  return new FakeApiError(
    401,
    'SignatureDoesNotMatch',
    `The request signature we calculated does not match the signature you provided (${reason}).`,
    100010,
  );
}

/** 14-digit UTC timestamp followed by 20 hex characters, like the gateway's. */
function requestId(): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return `${stamp}${randomBytes(10).toString('hex').toUpperCase()}`;
}

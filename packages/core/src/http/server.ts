import { createHash, randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as NodeHttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { ConfigError } from '../config.js';
import { parseTenantId } from '../credentials/alibaba.js';
import type { HttpAnswer, HttpRequestView } from '../definition.js';
import { isOpsError } from '../errors.js';
import { flattenHeaders, type ServerRuntime } from '../runtime.js';
import { type AuthOutcome, createAuthenticator } from './auth.js';
import { authorizationHeaderTaken, validateAuthSettings } from './auth-settings.js';
import {
  applyCors,
  BodyTooLargeError,
  hostAllowed,
  isLoopbackAddress,
  originAllowed,
  readJsonBody,
  type SecurityPolicy,
} from './security.js';

interface Session {
  server: Server;
  transport: StreamableHTTPServerTransport | SSEServerTransport;
  lastSeen: number;
  /** Who opened it (API key or token subject, and request credentials, hashed): only they may use it. */
  owner: string;
  /** Whom its slot counts against: the API key or token subject, or the client address without auth. */
  caller: string;
  /** Whether any request followed the initialize one. */
  used: boolean;
  /** The X-Tenant-ID it was opened with ('' without): every later request must carry the same. */
  tenant: string;
}

export interface HttpHandle {
  /** Base URL, e.g. `http://127.0.0.1:8000` (`/health` lives under it). */
  url: string;
  /** The Streamable HTTP endpoint clients connect to: `<url>/mcp`. */
  mcpUrl: string;
  port: number;
  host: string;
  /** Open sessions (Streamable HTTP and legacy SSE). */
  sessionCount(): number;
  /**
   * Stops taking new work (`/health` answers 503 `shutting_down` meanwhile), lets in-flight calls
   * finish within the shutdown bound, then closes sessions and the listener. Resolves false when
   * calls had to be aborted.
   */
  close(): Promise<boolean>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}

/** A host name as a session-id prefix: letters, digits and dashes only (ids travel in a header). */
export function replicaIdOf(name: string): string {
  return name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63) || 'replica';
}

const hashOf = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 24);

/** Tool calls are never batched: each one is its own request, counted and bounded like any other. */
function batchProblem(body: unknown, maxBatch: number): string | undefined {
  if (!Array.isArray(body)) return undefined;
  if (body.length > maxBatch) return `A JSON-RPC batch may carry at most ${maxBatch} messages.`;
  if (body.some((m) => (m as { method?: unknown } | null)?.method === 'tools/call')) {
    return 'tools/call cannot be batched: send one tool call per request.';
  }
  return undefined;
}

/** Where OAuth clients look for an authorization server and register themselves. */
const OAUTH_CLIENT_PATHS =
  /^\/(?:\.well-known\/(?:oauth-authorization-server|openid-configuration|oauth-protected-resource)(?:\/.*)?|register|authorize|token)$/;

/** Refuses a bind that would expose the server without authentication. */
export function assertSafeBind(runtime: ServerRuntime): void {
  const { host, apiKey, allowUnauthenticated, auth } = runtime.settings;
  const byKey = auth.includes('api-key') && apiKey.length > 0;
  const byToken = auth.includes('oauth');
  if (!isLoopbackAddress(host) && !byKey && !byToken && !allowUnauthenticated) {
    throw new ConfigError(
      `Refusing to listen on ${host} without an API key: anyone who can reach it could use the tools. ` +
        'Set MCP_API_KEY (clients send X-API-Key or Authorization: Bearer), or --auth oauth with MCP_OAUTH_ISSUER ' +
        'and MCP_OAUTH_AUDIENCE, or pass --allow-unauthenticated if another layer authenticates requests.',
    );
  }
}

/**
 * Serves one runtime over HTTP: Streamable HTTP at /mcp (stateful sessions, or a fresh server per
 * request with --stateless), the legacy SSE transport at GET /sse + POST /messages, and GET /health.
 */
export async function serveHttp(runtime: ServerRuntime): Promise<HttpHandle> {
  assertSafeBind(runtime);
  const s = runtime.settings;
  validateAuthSettings(runtime.definition, s);
  const policy: SecurityPolicy = {
    bindHost: s.host,
    allowedHosts: s.allowedHosts,
    allowedOrigins: s.allowedOrigins,
    apiKeys: s.apiKey,
    apiKeyHeaderOnly: authorizationHeaderTaken(runtime.definition, s),
  };
  const log = runtime.log;
  if (s.apiKey.length > 0 && !s.auth.includes('api-key')) {
    log.warn(
      `MCP_API_KEY is set but --auth ${s.auth.join(',')} does not accept API keys; use --auth api-key,oauth for both`,
    );
  }
  const authenticator = createAuthenticator({
    modes: s.auth,
    security: policy,
    serviceName: runtime.serviceName,
    title: runtime.definition.title,
    settings: s,
    log,
  });
  const sessions = new Map<string, Session>();
  const replicaId = s.replicaId || replicaIdOf(hostname());
  let closing = false;
  let closingPromise: Promise<boolean> | undefined;

  const closeSession = (id: string) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    void session.transport.close().catch(() => {});
    void session.server.close().catch(() => {});
  };

  const evictEvery = Math.min(60_000, Math.max(250, Math.floor(Math.min(s.sessionIdleMs, s.sessionInitIdleMs) / 2)));
  const evictor = setInterval(() => {
    const now = Date.now();
    for (const [id, session] of sessions) {
      const idle = now - session.lastSeen;
      if (idle > s.sessionIdleMs || (!session.used && idle > s.sessionInitIdleMs)) {
        // The id itself never goes to the log: a short hash is enough to correlate.
        log.info(session.used ? 'closing idle session' : 'closing a session that was never used', {
          session: hashOf(id).slice(0, 12),
        });
        closeSession(id);
      }
    }
  }, evictEvery);
  evictor.unref();

  /** Who a request comes from: its API key or token subject (hashed), or its address without auth. */
  const callerOf = (req: IncomingMessage, identity: string): string =>
    identity || `addr:${req.socket.remoteAddress ?? ''}`;
  /** The identity a session is bound to: the caller's API key or token subject, and request credentials. */
  const ownerOf = (req: IncomingMessage, identity: string): string =>
    hashOf(`${identity}\n${runtime.credentialIdentityOf(req.headers)}`);
  /** The caller's own session, or undefined (a stranger learning an id gets 404, as for no session). */
  const sessionFor = (id: string, req: IncomingMessage, identity: string): Session | undefined => {
    const session = sessions.get(id);
    return session && session.owner === ownerOf(req, identity) ? session : undefined;
  };

  /** Strangers learn that the server is up and its version; the rest needs a key or token. */
  const health = async (req: IncomingMessage) => {
    const status = closing ? 'shutting_down' : 'ok';
    const outcome = await authenticator.authenticate(req).catch(() => undefined);
    if (!outcome?.ok) return { status, version: runtime.definition.version };
    return fullHealth(status);
  };
  const fullHealth = (status: string) => ({
    status,
    service: runtime.serviceName,
    version: runtime.definition.version,
    uptime: Math.round((Date.now() - runtime.startedAt) / 1000),
    transport: s.stateless ? 'http-stateless' : 'http',
    readOnly: !s.allowWrite,
    tools: runtime.catalog.length,
    sessions: sessions.size,
    ...(runtime.sandbox ? { sandbox: true, notice: runtime.sandbox.notice } : {}),
    ...runtime.definition.health?.(s),
  });

  const atCapacity = (res: ServerResponse, caller: string) => {
    if (sessions.size >= s.maxSessions) {
      jsonRpcError(res, 503, -32000, `Too many open sessions (${s.maxSessions}); try again later.`);
      return true;
    }
    let own = 0;
    for (const session of sessions.values()) if (session.caller === caller) own++;
    if (own >= s.maxSessionsPerCaller) {
      jsonRpcError(
        res,
        429,
        -32000,
        `This caller has ${own} open sessions, the most allowed (${s.maxSessionsPerCaller}); close some (DELETE /mcp) or reuse one.`,
      );
      return true;
    }
    return false;
  };

  /** A session serves one tenant: a request naming another is refused (true when it was). */
  const otherTenant = (res: ServerResponse, session: Session, tenant: string) => {
    if (session.tenant === tenant) return false;
    jsonRpcError(
      res,
      403,
      -32000,
      `This session belongs to ${session.tenant ? `tenant ${session.tenant}` : 'no tenant'}; a request for ${tenant ? `tenant ${tenant}` : 'no tenant'} needs a session of its own.`,
    );
    return true;
  };

  async function handleMcp(req: IncomingMessage, res: ServerResponse, identity: string, tenant: string): Promise<void> {
    const method = req.method ?? 'GET';
    const sessionId = req.headers['mcp-session-id'];
    const body = method === 'POST' ? await readJsonBody(req, s.maxBodyBytes) : undefined;
    const tooMuch = batchProblem(body, s.maxBatch);
    if (tooMuch) {
      jsonRpcError(res, 400, -32600, tooMuch);
      return;
    }

    if (s.stateless) {
      if (method !== 'POST') {
        jsonRpcError(res, 405, -32000, 'This server is stateless: only POST /mcp is served.');
        return;
      }
      const server = runtime.createSessionServer('http');
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
      return;
    }

    if (typeof sessionId === 'string') {
      const session = sessionFor(sessionId, req, identity);
      if (!session || !(session.transport instanceof StreamableHTTPServerTransport)) {
        jsonRpcError(res, 404, -32001, 'Session not found: it expired or the server restarted. Start a new session.');
        return;
      }
      if (otherTenant(res, session, tenant)) return;
      session.lastSeen = Date.now();
      session.used = true;
      await session.transport.handleRequest(req, res, body);
      return;
    }

    if (method !== 'POST' || !isInitializeRequest(body)) {
      jsonRpcError(res, 400, -32000, 'Bad request: no mcp-session-id, and the request is not an initialize request.');
      return;
    }
    const caller = callerOf(req, identity);
    if (atCapacity(res, caller)) return;
    const owner = ownerOf(req, identity);
    const server = runtime.createSessionServer('http');
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      // The id names the replica that holds the session, so a load balancer can route on it.
      sessionIdGenerator: () => `${replicaId}.${randomUUID()}`,
      onsessioninitialized: (id) => {
        sessions.set(id, { server, transport, lastSeen: Date.now(), owner, caller, used: false, tenant });
      },
      onsessionclosed: (id) => closeSession(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function handleSse(req: IncomingMessage, res: ServerResponse, identity: string, tenant: string): Promise<void> {
    const caller = callerOf(req, identity);
    if (atCapacity(res, caller)) return;
    const transport = new SSEServerTransport('/messages', res);
    const server = runtime.createSessionServer('sse');
    const id = transport.sessionId;
    // The stream itself is the use: an open SSE stream is not idle-since-initialize.
    sessions.set(id, {
      server,
      transport,
      lastSeen: Date.now(),
      owner: ownerOf(req, identity),
      caller,
      used: true,
      tenant,
    });
    res.on('close', () => closeSession(id));
    await server.connect(transport);
  }

  async function handleSseMessage(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    identity: string,
    tenant: string,
  ): Promise<void> {
    const id = url.searchParams.get('sessionId') ?? '';
    const session = sessionFor(id, req, identity);
    if (!session || !(session.transport instanceof SSEServerTransport)) {
      jsonRpcError(res, 404, -32001, 'Session not found: open a new SSE stream at GET /sse.');
      return;
    }
    if (otherTenant(res, session, tenant)) return;
    session.lastSeen = Date.now();
    const body = await readJsonBody(req, s.maxBodyBytes);
    const tooMuch = batchProblem(body, s.maxBatch);
    if (tooMuch) {
      jsonRpcError(res, 400, -32600, tooMuch);
      return;
    }
    await session.transport.handlePostMessage(req, res, body);
  }

  /**
   * `GET /tools` and `POST /call-tool {"tool", "arguments"}`: plain JSON for scripts and curl,
   * through the same gates as MCP. Tool results (failed ones too) answer 200 with `isError`.
   */
  async function handleRest(req: IncomingMessage, res: ServerResponse, url: URL, outcome: AuthOutcome & { ok: true }) {
    if (url.pathname === '/tools') {
      sendJson(res, 200, { tools: runtime.restListings(outcome.authInfo) });
      return;
    }
    const body = (await readJsonBody(req, s.maxBodyBytes)) as { tool?: unknown; arguments?: unknown } | null;
    const args = body?.arguments ?? {};
    if (
      !body ||
      typeof body !== 'object' ||
      Array.isArray(body) ||
      typeof body.tool !== 'string' ||
      typeof args !== 'object' ||
      args === null ||
      Array.isArray(args)
    ) {
      sendJson(res, 400, {
        error: 'invalid_request',
        message: 'Send a JSON object: {"tool": "<name>", "arguments": {…}}; GET /tools lists the tools.',
      });
      return;
    }
    // A client that hangs up cancels its call, as over MCP.
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const called = await runtime.callToolOverRest(body.tool, args, {
      headers: req.headers,
      authInfo: outcome.authInfo,
      signal: controller.signal,
    });
    if (!called) {
      sendJson(res, 404, {
        error: 'unknown_tool',
        message: `Unknown tool: ${body.tool.slice(0, 100)}. GET /tools lists the tools.`,
      });
      return;
    }
    const { result, code } = called;
    sendJson(res, 200, {
      content: result.content,
      ...(result.structuredContent ? { structuredContent: result.structuredContent } : {}),
      isError: result.isError === true,
      ...(code ? { error_code: code } : {}),
    });
  }

  /** The server's own check of an MCP or REST request (e.g. a required tenant); true when it refused. */
  const refusedByServer = async (res: ServerResponse, view: HttpRequestView, jsonRpc: boolean) => {
    const answer: HttpAnswer | undefined = await runtime.definition.http?.admit?.(view, runtime.hookInit);
    if (!answer) return false;
    if (jsonRpc)
      jsonRpcError(res, answer.status, -32000, String(answer.body.message ?? answer.body.error ?? 'Refused.'));
    else sendJson(res, answer.status, answer.body);
    return true;
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;

    if (!hostAllowed(policy, req.headers.host)) {
      sendJson(res, 403, { error: 'forbidden', message: `Host ${req.headers.host ?? '(none)'} is not allowed.` });
      return;
    }
    if (!originAllowed(policy, origin, req.headers.host)) {
      sendJson(res, 403, { error: 'forbidden', message: `Origin ${origin} is not allowed.` });
      return;
    }
    applyCors(res, origin);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/health' && req.method === 'GET') {
      sendJson(res, closing ? 503 : 200, await health(req));
      return;
    }
    // RFC 9728: tells OAuth clients which authorization server issues tokens for this server.
    // Absent (404) without OAuth, so clients do not go looking for an authorization server.
    if (authenticator.resourceMetadataPaths.includes(url.pathname) && req.method === 'GET') {
      sendJson(res, 200, authenticator.resourceMetadata(), { 'cache-control': 'max-age=300' });
      return;
    }
    // Clients that meet a 401 try OAuth discovery and registration next; without OAuth, say
    // plainly what to send instead of a bare 404 they would show as a registration failure.
    if (!s.auth.includes('oauth') && OAUTH_CLIENT_PATHS.test(url.pathname)) {
      sendJson(res, 404, {
        error: 'oauth_not_supported',
        message:
          'This server does not use OAuth: send its API key in the X-API-Key header (or Authorization: Bearer <key>).',
      });
      return;
    }
    const isMcp = url.pathname === '/mcp';
    const isSse = url.pathname === '/sse' && req.method === 'GET';
    const isMessages = url.pathname === '/messages' && req.method === 'POST';
    const isRest =
      (url.pathname === '/tools' && req.method === 'GET') || (url.pathname === '/call-tool' && req.method === 'POST');
    const serves = runtime.definition.http?.serve;
    if (!isMcp && !isSse && !isMessages && !isRest && !serves) {
      sendJson(res, 404, {
        error: 'not_found',
        message: 'Endpoints: /mcp, /sse, /messages, /health, GET /tools, POST /call-tool.',
      });
      return;
    }
    const outcome: AuthOutcome = await authenticator.authenticate(req);
    if (!outcome.ok) {
      sendJson(res, outcome.status, outcome.body, outcome.headers);
      return;
    }
    // The SDK transports hand `req.auth` to the request handlers as `extra.authInfo`.
    if (outcome.authInfo) (req as IncomingMessage & { auth?: unknown }).auth = outcome.authInfo;
    if (closing) {
      jsonRpcError(res, 503, -32000, 'The server is shutting down.');
      return;
    }
    const headers = flattenHeaders(req.headers);
    let tenant: string;
    try {
      tenant = parseTenantId(headers) ?? '';
    } catch (error) {
      if (!isOpsError(error)) throw error;
      sendJson(res, 400, { error: 'invalid_tenant', message: error.message });
      return;
    }
    const view: HttpRequestView = {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers,
      ...(tenant ? { tenantId: tenant } : {}),
      ...(outcome.apiKeySha256 ? { apiKeySha256: outcome.apiKeySha256 } : {}),
    };
    if (!isMcp && !isSse && !isMessages && !isRest) {
      const answer = await serves?.(view, runtime.hookInit);
      if (answer) sendJson(res, answer.status, answer.body);
      else sendJson(res, 404, { error: 'not_found', message: `No endpoint ${url.pathname}.` });
      return;
    }
    if (await refusedByServer(res, view, !isRest)) return;
    if (isRest) await handleRest(req, res, url, outcome);
    else if (isMcp) await handleMcp(req, res, outcome.identity, tenant);
    else if (isSse) await handleSse(req, res, outcome.identity, tenant);
    else await handleSseMessage(req, res, url, outcome.identity, tenant);
  }

  const httpServer: NodeHttpServer = createHttpServer(
    {
      headersTimeout: Math.min(s.headersTimeoutMs, s.bodyTimeoutMs),
      requestTimeout: s.bodyTimeoutMs,
      // How often Node checks the two timeouts above (its default, 30 s, would let them overrun).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(s.headersTimeoutMs / 4))),
    },
    (req, res) => {
      route(req, res).catch((error: unknown) => {
        if (error instanceof BodyTooLargeError) {
          jsonRpcError(res, 413, -32000, `Request body larger than ${s.maxBodyBytes} bytes.`);
          req.resume();
          return;
        }
        if (error instanceof SyntaxError) {
          jsonRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON.');
          return;
        }
        log.error('HTTP request failed', { error: error instanceof Error ? error.message : String(error) });
        jsonRpcError(res, 500, -32603, 'Internal server error.');
      });
    },
  );
  httpServer.keepAliveTimeout = 65_000;
  httpServer.maxConnections = s.maxConnections;
  // A socket that has not sent a complete request soon after opening (nothing at all, or headers
  // dribbled in) holds a file descriptor for nothing: close it. Its first request clears the timer.
  const firstRequestTimers = new WeakMap<object, NodeJS.Timeout>();
  httpServer.on('connection', (socket) => {
    const timer = setTimeout(() => socket.destroy(), s.idleConnectionTimeoutMs);
    timer.unref();
    firstRequestTimers.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  httpServer.on('request', (req) => clearTimeout(firstRequestTimers.get(req.socket)));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(s.port, s.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  log.info('listening', { url: `${url}/mcp`, sse: `${url}/sse`, stateless: s.stateless, read_only: !s.allowWrite });

  return {
    url,
    mcpUrl: `${url}/mcp`,
    port: address.port,
    host: address.address,
    sessionCount: () => sessions.size,
    close() {
      closingPromise ??= (async () => {
        closing = true;
        clearInterval(evictor);
        // The listener stays open while draining, so /health can say shutting_down (503) to the
        // load balancer; new MCP requests get 503.
        const inFlight = runtime.inFlightCalls;
        if (inFlight > 0) log.info('draining in-flight calls', { calls: inFlight });
        const drained = await runtime.drain(s.shutdownTimeoutMs);
        if (!drained) log.warn('calls still running after the shutdown timeout were aborted');
        // Let the responses of the drained calls reach their clients before the sockets go.
        await new Promise((resolve) => setImmediate(resolve));
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        for (const id of [...sessions.keys()]) closeSession(id);
        httpServer.closeIdleConnections();
        setTimeout(() => httpServer.closeAllConnections(), 1_000).unref();
        await stopped;
        return drained;
      })();
      return closingPromise;
    },
  };
}

// A bare Streamable HTTP client (keep-alive sockets, no SDK) and a closed-loop load generator.
// It only ever talks to 127.0.0.1.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.mjs';
import { PROTOCOL_VERSION } from './stdio-client.mjs';

export function createAgent(maxSockets) {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

function assertLoopback(url) {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1') throw new Error(`refusing to send benchmark traffic to ${hostname}`);
}

function send(url, { method = 'POST', headers = {}, body, agent }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          accept: 'application/json, text/event-stream',
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The JSON-RPC message with the given id from a JSON or SSE response body. */
function rpcMessage(response, id) {
  const type = String(response.headers['content-type'] ?? '');
  const candidates = [];
  if (type.includes('text/event-stream')) {
    for (const line of response.text.split('\n')) {
      if (line.startsWith('data:')) candidates.push(line.slice(5).trim());
    }
  } else if (response.text) {
    candidates.push(response.text);
  }
  for (const candidate of candidates) {
    if (!candidate) continue;
    const parsed = JSON.parse(candidate);
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      if (message.id === id) return message;
    }
  }
  throw new Error(`HTTP ${response.status}: no JSON-RPC response ${id} in ${response.text.slice(0, 300)}`);
}

/**
 * One MCP client over Streamable HTTP. Stateful: `initialize()` opens a session and every later
 * request carries its id. Stateless: requests go without a session.
 */
export class HttpMcpClient {
  constructor(url, { agent, headers = {} } = {}) {
    assertLoopback(url);
    this.url = url;
    this.agent = agent;
    this.headers = headers;
    this.sessionId = undefined;
    this.nextId = 1;
  }

  sessionHeaders() {
    return {
      ...this.headers,
      'mcp-protocol-version': PROTOCOL_VERSION,
      ...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}),
    };
  }

  async request(method, params = {}) {
    const id = this.nextId++;
    const response = await send(this.url, {
      agent: this.agent,
      headers: this.sessionHeaders(),
      body: { jsonrpc: '2.0', id, method, params },
    });
    const message = rpcMessage(response, id);
    if (message.error) throw new Error(`${message.error.code}: ${message.error.message}`);
    return message.result;
  }

  async initialize() {
    const id = this.nextId++;
    const response = await send(this.url, {
      agent: this.agent,
      headers: this.headers,
      body: {
        jsonrpc: '2.0',
        id,
        method: 'initialize',
        params: {
          protocolVersion: PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: 'opsmcp-bench', version: '1.0.0' },
        },
      },
    });
    const message = rpcMessage(response, id);
    if (message.error) throw new Error(`initialize: ${message.error.code}: ${message.error.message}`);
    const sessionId = response.headers['mcp-session-id'];
    if (typeof sessionId === 'string') this.sessionId = sessionId;
    const ack = await send(this.url, {
      agent: this.agent,
      headers: this.sessionHeaders(),
      body: { jsonrpc: '2.0', method: 'notifications/initialized' },
    });
    if (ack.status !== 202 && ack.status !== 200) throw new Error(`notifications/initialized: HTTP ${ack.status}`);
    return message.result;
  }

  /** A tools/call; a result with isError counts as a failure. */
  async callTool(name, args) {
    const result = await this.request('tools/call', { name, arguments: args });
    if (result?.isError) throw new Error(`${name}: ${result.content?.[0]?.text ?? 'error result'}`);
    return result;
  }

  /** Ends the session (DELETE /mcp with its id). */
  async close() {
    if (!this.sessionId) return;
    const response = await send(this.url, { method: 'DELETE', agent: this.agent, headers: this.sessionHeaders() });
    this.sessionId = undefined;
    if (response.status >= 400) throw new Error(`DELETE session: HTTP ${response.status}`);
  }
}

/**
 * Closed-loop load: `clients` clients each call the tool back to back while driven. Stateful
 * clients open their sessions once, in `open()`, and keep them across drives. Only calls that
 * complete inside a measured drive count; nothing new starts after a drive's end.
 */
export class LoadRun {
  constructor({ url, clients, stateful, tool, args }) {
    this.agent = createAgent(clients);
    this.workers = Array.from({ length: clients }, () => new HttpMcpClient(url, { agent: this.agent }));
    this.stateful = stateful;
    this.tool = tool;
    this.args = args;
    this.latencies = [];
    this.measuredMs = 0;
    this.errors = 0;
    this.firstError = undefined;
  }

  async open() {
    if (this.stateful) for (const worker of this.workers) await worker.initialize();
  }

  async drive(durationMs, { measure }) {
    const start = performance.now();
    const end = start + durationMs;
    await Promise.all(
      this.workers.map(async (worker) => {
        while (performance.now() < end) {
          const began = performance.now();
          try {
            await worker.callTool(this.tool, this.args);
            const done = performance.now();
            if (measure && done <= end) this.latencies.push(done - began);
          } catch (error) {
            this.errors += 1;
            this.firstError ??= error instanceof Error ? error.message : String(error);
            if (this.errors > 1000) throw new Error(`too many failed calls: ${this.firstError}`);
          }
        }
      }),
    );
    if (measure) this.measuredMs += durationMs;
  }

  result() {
    return {
      requests: this.latencies.length,
      seconds: this.measuredMs / 1000,
      rps: this.latencies.length / (this.measuredMs / 1000),
      p50: percentile(this.latencies, 50),
      p99: percentile(this.latencies, 99),
      errors: this.errors,
      ...(this.firstError ? { firstError: this.firstError } : {}),
    };
  }

  async close() {
    if (this.stateful) await Promise.all(this.workers.map((worker) => worker.close().catch(() => {})));
  }

  destroy() {
    this.agent.destroy();
  }
}

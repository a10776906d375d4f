import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  type CallToolResult,
  type ClientCapabilities,
  ElicitRequestSchema,
  type ElicitResult,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import type { AnyServerDefinition } from '../definition.js';
import { type HttpHandle, serveHttp } from '../http/server.js';
import { createLogger, type Logger } from '../log.js';
import { createServer, type ServerRuntime } from '../runtime.js';

/** Env for spawned servers and runtimes under test: no cloud metadata lookups, ever. */
export const TEST_ENV: Record<string, string> = {
  AWS_EC2_METADATA_DISABLED: 'true',
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** A logger that keeps lines in memory, so tests can assert on logs (and on what they omit). */
export function createMemoryLogger(level: Logger['level'] = 'debug'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ level, json: true, write: (line) => lines.push(line) }), lines };
}

export interface RuntimeOptions {
  /** Typed settings, as a library user would pass them. */
  settings?: Record<string, unknown>;
  /** Environment seen by config (default: only TEST_ENV, never the test process's own). */
  env?: Record<string, string>;
  argv?: string[];
  logger?: Logger;
}

async function runtimeFor(definition: AnyServerDefinition, options: RuntimeOptions): Promise<ServerRuntime> {
  return createServer(definition, {
    settings: options.settings ?? {},
    env: { ...TEST_ENV, ...options.env },
    argv: options.argv ?? [],
    logger: options.logger ?? createLogger({ level: 'error', json: true }),
  });
}

export interface ClientSetup {
  capabilities?: ClientCapabilities;
  /** Answers elicitation requests (declares the elicitation capability). */
  onElicit?: (message: string) => ElicitResult | Promise<ElicitResult>;
}

function newClient(setup: ClientSetup = {}): Client {
  const capabilities: ClientCapabilities = { ...setup.capabilities };
  if (setup.onElicit) capabilities.elicitation = {};
  const options: ClientOptions = { capabilities };
  const client = new Client({ name: 'opsmcp-test-client', version: '1.0.0' }, options);
  if (setup.onElicit) {
    const answer = setup.onElicit;
    client.setRequestHandler(ElicitRequestSchema, (request) => answer(request.params.message));
  }
  return client;
}

export interface InMemoryConnection {
  client: Client;
  runtime: ServerRuntime;
  close(): Promise<void>;
}

/** A real MCP client connected in memory to a server definition. */
export async function connectInMemory(
  definition: AnyServerDefinition,
  options: RuntimeOptions & ClientSetup = {},
): Promise<InMemoryConnection> {
  const runtime = await runtimeFor(definition, options);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const server = await runtime.connect(serverTransport, 'memory');
  const client = newClient(options);
  await client.connect(clientTransport);
  return {
    client,
    runtime,
    async close() {
      await client.close();
      await server.close();
      await runtime.close();
    },
  };
}

export interface ToolCallOutcome {
  isError: boolean;
  text: string;
  structured: Record<string, unknown> | undefined;
  result: CallToolResult;
}

/** Calls a tool and flattens the result for assertions. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  options: { onprogress?: (progress: Progress) => void; signal?: AbortSignal; timeout?: number } = {},
): Promise<ToolCallOutcome> {
  const result = (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
  const text = result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
  return {
    isError: result.isError === true,
    text,
    structured: result.structuredContent as Record<string, unknown> | undefined,
    result,
  };
}

export interface SpawnedServer {
  client: Client;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** Spawns a built bin the way a desktop client does and connects over stdio. */
export async function spawnBin(
  binPath: string,
  options: { args?: string[]; env?: Record<string, string>; cwd?: string } & ClientSetup = {},
): Promise<SpawnedServer> {
  const env: Record<string, string> = { ...TEST_ENV, ...options.env };
  if (process.env.PATH) env.PATH = process.env.PATH;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, ...(options.args ?? [])],
    env,
    stderr: 'pipe',
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = newClient(options);
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`${binPath} did not start: ${(error as Error).message}\nstderr:\n${stderr}`);
  }
  return { client, stderr: () => stderr, close: () => client.close() };
}

export interface HttpConnectOptions extends ClientSetup {
  headers?: Record<string, string>;
  /** Use the legacy SSE transport (GET /sse + POST /messages) instead of /mcp. */
  sse?: boolean;
}

export interface HttpTestServer {
  url: string;
  port: number;
  runtime: ServerRuntime;
  handle: HttpHandle;
  connect(options?: HttpConnectOptions): Promise<Client>;
  close(): Promise<void>;
}

/** Serves a definition over HTTP on 127.0.0.1:0 and hands out real clients. */
export async function startHttp(
  definition: AnyServerDefinition,
  options: RuntimeOptions = {},
): Promise<HttpTestServer> {
  const runtime = await runtimeFor(definition, {
    ...options,
    settings: { transport: 'http', host: '127.0.0.1', port: 0, ...options.settings },
  });
  const handle = await serveHttp(runtime);
  const clients: Client[] = [];
  return {
    url: handle.url,
    port: handle.port,
    runtime,
    handle,
    async connect(connectOptions: HttpConnectOptions = {}) {
      const requestInit = { headers: connectOptions.headers ?? {} };
      const transport = connectOptions.sse
        ? new SSEClientTransport(new URL(`${handle.url}/sse`), { requestInit })
        : new StreamableHTTPClientTransport(new URL(`${handle.url}/mcp`), { requestInit });
      const client = newClient(connectOptions);
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await handle.close();
      await runtime.close();
    },
  };
}

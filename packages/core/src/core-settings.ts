import { z } from 'zod';
import { parse, type SettingsOf, setting } from './settings.js';

export const TRANSPORTS = ['stdio', 'http', 'sse'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Accepts the spellings other MCP servers' configs use: `streamable-http`, `StreamableHTTP`, any case. */
const transportSchema = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase().replace(/[-_]/g, '');
  return v === 'streamablehttp' ? 'http' : v;
}, z.enum(TRANSPORTS));

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Shorter API keys can be guessed; a key is compared in constant time but tried without limit. */
export const MIN_API_KEY_LENGTH = 16;

/** The settings every server has. A server may change a default or add env aliases. */
export const coreSettingsSpec = {
  transport: setting({
    schema: transportSchema,
    flag: 'transport',
    env: ['MCP_TRANSPORT'],
    default: 'stdio' as Transport,
    valueName: 'stdio|http|sse',
    description:
      'stdio for a local client; http serves Streamable HTTP at /mcp and legacy SSE at /sse (sse is an alias)',
  }),
  host: setting({
    schema: parse.string(),
    flag: 'host',
    env: ['MCP_HOST'],
    default: '127.0.0.1',
    description: 'Address the HTTP transport binds to',
  }),
  port: setting({
    schema: parse.integer(0, 65535),
    flag: 'port',
    env: ['MCP_PORT'],
    default: 8000,
    description: 'Port of the HTTP transport (0 picks a free one)',
  }),
  stateless: setting({
    schema: parse.boolean(),
    flag: 'stateless',
    env: ['MCP_STATELESS'],
    default: false,
    switch: true,
    description: 'Build a fresh server per HTTP request (no sessions), for load-balanced deployments',
  }),
  maxSessions: setting({
    schema: parse.integer(1, 100_000),
    flag: 'max-sessions',
    env: ['MCP_MAX_SESSIONS'],
    default: 1000,
    description: 'Most stateful HTTP sessions open at once; new ones beyond it get 503',
  }),
  sessionIdleMs: setting({
    schema: parse.integer(1000, 86_400_000),
    flag: 'session-idle-ms',
    env: ['MCP_SESSION_IDLE_MS'],
    default: 1_800_000,
    description: 'A stateful session idle this long is closed',
  }),
  apiKey: setting({
    schema: parse.list().refine((keys) => keys.every((k) => k.length >= MIN_API_KEY_LENGTH), {
      message: `each API key must be at least ${MIN_API_KEY_LENGTH} characters (use a random one, e.g. openssl rand -hex 24)`,
    }),
    flag: 'api-key',
    env: ['MCP_API_KEY'],
    default: [] as string[],
    secret: true,
    valueName: 'key[,key…]',
    description: 'API keys accepted in X-API-Key or Authorization: Bearer (comma-separated)',
  }),
  allowUnauthenticated: setting({
    schema: parse.boolean(),
    flag: 'allow-unauthenticated',
    env: ['MCP_ALLOW_UNAUTHENTICATED'],
    default: false,
    switch: true,
    description: 'Allow binding a non-loopback address without an API key',
  }),
  allowedHosts: setting({
    schema: parse.list(),
    flag: 'allowed-hosts',
    env: ['MCP_ALLOWED_HOSTS'],
    default: [] as string[],
    valueName: 'host[,host…]',
    description: 'Host header values accepted besides the loopback names and the bind address',
  }),
  allowedOrigins: setting({
    schema: parse.list(),
    flag: 'allowed-origins',
    env: ['MCP_ALLOWED_ORIGINS'],
    default: [] as string[],
    valueName: 'origin[,origin…]',
    description: 'Browser origins allowed to call the server (CORS); requests from other origins get 403',
  }),
  maxBodyBytes: setting({
    schema: parse.integer(1024, 64 * 1024 * 1024),
    flag: 'max-body-bytes',
    env: ['MCP_MAX_BODY_BYTES'],
    default: 1_048_576,
    description: 'Largest HTTP request body accepted (413 beyond it)',
  }),
  maxSessionsPerCaller: setting({
    schema: parse.integer(1, 100_000),
    flag: 'max-sessions-per-caller',
    env: ['MCP_MAX_SESSIONS_PER_CALLER'],
    default: 100,
    description:
      'Most open sessions per caller (per API key, or per client address without keys); beyond it 429, so one caller cannot take every slot',
  }),
  sessionInitIdleMs: setting({
    schema: parse.integer(1000, 3_600_000),
    flag: 'session-init-idle-ms',
    env: ['MCP_SESSION_INIT_IDLE_MS'],
    default: 60_000,
    description: 'A session that has made no request since initialize is closed after this',
  }),
  maxConnections: setting({
    schema: parse.integer(1, 1_000_000),
    flag: 'max-connections',
    env: ['MCP_MAX_CONNECTIONS'],
    default: 512,
    description:
      'Most open HTTP connections; further ones are refused (keep it below the process file-descriptor limit)',
  }),
  idleConnectionTimeoutMs: setting({
    schema: parse.integer(100, 600_000),
    flag: 'idle-connection-timeout-ms',
    env: ['MCP_IDLE_CONNECTION_TIMEOUT_MS'],
    default: 10_000,
    description: 'A connection that has not sent a complete request this long after opening is closed',
  }),
  headersTimeoutMs: setting({
    schema: parse.integer(100, 600_000),
    flag: 'headers-timeout-ms',
    env: ['MCP_HEADERS_TIMEOUT_MS'],
    default: 10_000,
    description: "Longest a client may take to send a request's headers",
  }),
  bodyTimeoutMs: setting({
    schema: parse.integer(100, 3_600_000),
    flag: 'body-timeout-ms',
    env: ['MCP_BODY_TIMEOUT_MS'],
    default: 30_000,
    description: 'Longest a client may take to send a whole request, body included',
  }),
  maxBatch: setting({
    schema: parse.integer(1, 1000),
    flag: 'max-batch',
    env: ['MCP_MAX_BATCH'],
    default: 16,
    description: 'Most messages in one JSON-RPC batch (tool calls are never batched: one call per request)',
  }),
  shutdownTimeoutMs: setting({
    schema: parse.integer(0, 600_000),
    flag: 'shutdown-timeout-ms',
    env: ['MCP_SHUTDOWN_TIMEOUT_MS'],
    default: 10_000,
    description: 'On SIGTERM/SIGINT, how long in-flight calls may take to finish before exit',
  }),
  allowWrite: setting({
    schema: parse.boolean(),
    flag: 'allow-write',
    env: ['MCP_ALLOW_WRITE'],
    default: false,
    switch: true,
    description: 'Expose tools that change things (hidden by default: read-only)',
  }),
  tools: setting({
    schema: parse.list(),
    flag: 'tools',
    env: ['MCP_TOOLS'],
    default: [] as string[],
    valueName: 'name[,name…]',
    description: 'Expose only these tools',
  }),
  disableTools: setting({
    schema: parse.list(),
    flag: 'disable-tools',
    env: ['MCP_DISABLE_TOOLS'],
    default: [] as string[],
    valueName: 'name[,name…]',
    description: 'Hide these tools',
  }),
  toolsets: setting({
    schema: parse.list(),
    flag: 'toolsets',
    env: ['MCP_TOOLSETS'],
    default: [] as string[],
    valueName: 'set[,set…]',
    description: 'Expose only the tools of these groups (servers with toolsets; see the list below)',
  }),
  confirm: setting({
    schema: parse.list(),
    flag: 'confirm',
    env: ['MCP_CONFIRM'],
    default: [] as string[],
    valueName: 'rule[,rule…]',
    description:
      'Also ask for confirmation before these tools run: tool names, "write" (every write tool) or "destructive" (always confirmed)',
  }),
  confirmElicitationOnly: setting({
    schema: parse.boolean(),
    flag: 'confirm-elicitation-only',
    env: ['MCP_CONFIRM_ELICITATION_ONLY'],
    default: false,
    switch: true,
    description:
      'Confirm only through a person answering the client (elicitation); never through confirmation arguments, which the model could fill in itself',
  }),
  toolTimeoutMs: setting({
    schema: parse.integer(100, 3_600_000),
    flag: 'tool-timeout-ms',
    env: ['MCP_TOOL_TIMEOUT_MS'],
    default: 60_000,
    description: 'Longest a tool call may run before it fails with TIMEOUT',
  }),
  logLevel: setting({
    schema: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(LOG_LEVELS)),
    flag: 'log-level',
    env: ['MCP_LOG_LEVEL'],
    default: 'info' as (typeof LOG_LEVELS)[number],
    valueName: 'debug|info|warn|error',
    description: 'Least severe log level written to stderr',
  }),
  sandbox: setting({
    schema: parse.boolean(),
    flag: 'sandbox',
    env: ['MCP_SANDBOX'],
    default: false,
    switch: true,
    description: 'Serve the tools against a built-in simulated backend (no cloud account needed)',
  }),
};

export type CoreSettings = SettingsOf<typeof coreSettingsSpec>;

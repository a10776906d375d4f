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

/** How HTTP callers authenticate; a list allows several (`api-key,oauth`). */
export const AUTH_MODES = ['api-key', 'oauth', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

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
  auth: setting({
    schema: z.preprocess(
      (value) =>
        typeof value === 'string'
          ? value
              .split(',')
              .map((s) => s.trim().toLowerCase())
              .filter(Boolean)
          : value,
      z
        .array(z.enum(AUTH_MODES))
        .min(1)
        .refine((modes) => !modes.includes('none') || modes.length === 1, {
          message: 'none cannot be combined with api-key or oauth',
        }),
    ),
    flag: 'auth',
    env: ['MCP_AUTH'],
    default: ['api-key'] as AuthMode[],
    valueName: 'api-key|oauth|none[,…]',
    description:
      'How HTTP callers authenticate: api-key (MCP_API_KEY, when set), oauth (bearer tokens of MCP_OAUTH_ISSUER), both (api-key,oauth) or none',
  }),
  oauthIssuer: setting({
    schema: parse.string(),
    flag: 'oauth-issuer',
    env: ['MCP_OAUTH_ISSUER'],
    valueName: 'url',
    description: 'OAuth authorization server (issuer URL) whose access tokens are accepted, with --auth oauth',
  }),
  oauthAudience: setting({
    schema: parse.string(),
    flag: 'oauth-audience',
    env: ['MCP_OAUTH_AUDIENCE'],
    valueName: 'url',
    description:
      "This server's resource identifier: the public URL clients use for /mcp (e.g. https://mcp.example.com/mcp); tokens must name it in aud",
  }),
  oauthJwksUrl: setting({
    schema: parse.string(),
    flag: 'oauth-jwks-url',
    env: ['MCP_OAUTH_JWKS_URL'],
    valueName: 'url',
    description: "Where the token signing keys are, instead of the jwks_uri of the issuer's metadata",
  }),
  oauthIntrospectionUrl: setting({
    schema: parse.string(),
    flag: 'oauth-introspection-url',
    env: ['MCP_OAUTH_INTROSPECTION_URL'],
    valueName: 'url',
    description: 'Token introspection endpoint (RFC 7662) for opaque (non-JWT) access tokens',
  }),
  oauthClientId: setting({
    schema: parse.string(),
    flag: 'oauth-client-id',
    env: ['MCP_OAUTH_CLIENT_ID'],
    description: 'Client ID this server authenticates with at the introspection endpoint',
  }),
  oauthClientSecret: setting({
    schema: parse.string(),
    flag: 'oauth-client-secret',
    env: ['MCP_OAUTH_CLIENT_SECRET'],
    secret: true,
    description: 'Client secret for the introspection endpoint',
  }),
  oauthScopesRead: setting({
    schema: parse.string().regex(/^\S+$/, 'one scope, without spaces'),
    flag: 'oauth-scopes-read',
    env: ['MCP_OAUTH_SCOPES_READ'],
    default: 'opsmcp:read',
    valueName: 'scope',
    description: 'Scope a token needs to use the server at all (list and call read tools)',
  }),
  oauthScopesWrite: setting({
    schema: parse.string().regex(/^\S+$/, 'one scope, without spaces'),
    flag: 'oauth-scopes-write',
    env: ['MCP_OAUTH_SCOPES_WRITE'],
    default: 'opsmcp:write',
    valueName: 'scope',
    description: 'Scope a token also needs to see and call write and destructive tools (on top of --allow-write)',
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
  replicaId: setting({
    schema: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      z.string().regex(/^[A-Za-z0-9-]{1,63}$/, 'letters, digits and dashes, at most 63'),
    ),
    flag: 'replica-id',
    env: ['MCP_REPLICA_ID'],
    default: '',
    description:
      'Prefix of the session ids this process hands out (<replica>.<random>), so a load balancer can send a session to the replica that holds it; default the host name',
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

import type { CoreSettings } from './core-settings.js';
import type { CredentialConfig } from './credentials/provider.js';
import type { Logger } from './log.js';
import type { ToolSchemas } from './runtime.js';
import type { SettingsOf, SettingsSpec } from './settings.js';
import type { AnyToolDefinition, CacheFn, CredentialsFn, RequestInfo, ToolContext } from './tool.js';

export interface ContextInit<Settings> {
  settings: Settings;
  request: RequestInfo;
  log: Logger;
  sandbox: boolean;
  signal: AbortSignal;
  /** When the call times out (epoch ms); see `ToolContext.deadline`. */
  deadline: number;
  /** The call's credentials by provider id (see `ToolContext.credentials`). */
  credentials: CredentialsFn;
  /** The runtime's keyed cache for this call's credential identity (pools, SDK clients). */
  cache: CacheFn;
}

/** What a server's startup and HTTP hooks get: its settings, the log and the runtime's cache. */
export interface ServerHookInit<Settings> {
  settings: Settings;
  log: Logger;
  /** The runtime's keyed cache, as tools see it when a call brings no request credentials. */
  cache: CacheFn;
}

/** One HTTP request as a server's HTTP hooks see it (after the Host/Origin checks and authentication). */
export interface HttpRequestView {
  method: string;
  /** The URL path, e.g. `/tenants`. */
  path: string;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string>>;
  /** `X-Tenant-ID`, when the request carries a well-formed one. */
  tenantId?: string;
  /** SHA-256 (hex) of the API key the request was let in with; absent for other ways in. */
  apiKeySha256?: string;
}

/** A JSON answer of a server's HTTP hook. */
export interface HttpAnswer {
  status: number;
  body: Readonly<Record<string, unknown>>;
}

/** What the HTTP server adds for a server: a check of every MCP and REST request, and endpoints. */
export interface HttpExtension<Settings> {
  /**
   * Runs after authentication for every request to /mcp, /sse, /messages, /tools and
   * /call-tool; an answer refuses the request with it (e.g. 400 without a required header).
   */
  admit?(request: HttpRequestView, init: ServerHookInit<Settings>): Promise<HttpAnswer | undefined>;
  /**
   * Endpoints of the server's own (e.g. `/tenants`), behind the same authentication as /mcp:
   * answers a request to one of its paths, undefined for any other path.
   */
  serve?(request: HttpRequestView, init: ServerHookInit<Settings>): Promise<HttpAnswer | undefined>;
}

/** One finished tool call, for a server's own statistics. */
export interface ToolCallRecord {
  tool: string;
  tenantId?: string;
  durationMs: number;
  outcome: 'ok' | 'error' | 'cancelled';
  errorCode?: string;
}

export interface CheckResult {
  ok: boolean;
  /** Lines printed by --check, e.g. "StarRocks 3.3.5 (shared-nothing)". */
  lines: string[];
}

export interface SandboxHandle<Settings> {
  /** Settings that point the server at the simulated backend (endpoint, credentials). */
  settings: Partial<Settings>;
  /** One line for /health, the instructions and every result, e.g. "simulated RocketMQ data". */
  notice: string;
  stop(): Promise<void>;
}

/** Changes a server makes to a core setting: another default, extra env aliases. */
export interface CoreSettingOverride {
  default?: unknown;
  env?: readonly string[];
}

export interface ServerDefinition<S extends SettingsSpec = SettingsSpec, Clients = unknown> {
  /** Short name, e.g. `rocketmq`; the service is `opsmcp-<name>`. */
  name: string;
  /** npm package name, e.g. `@opsmcp/rocketmq`. */
  packageName: string;
  version: string;
  title: string;
  /** What the server is for; core appends the write-tool and sandbox notes. */
  instructions: string;
  settings: S;
  coreSettings?: Partial<Record<keyof CoreSettings, CoreSettingOverride>>;
  /** The clouds whose credentials the tools use, and whether each request brings its own. */
  credentials?: CredentialConfig<SettingsOf<S> & CoreSettings>;
  tools: readonly AnyToolDefinition[];
  /** Tool groups for `--toolsets` (name → one-line description); every tool then names one. */
  toolsets?: Readonly<Record<string, string>>;
  /** Masks what must not leave the server in any tool's structured output (after the tool's own `redact`). */
  redactOutput?(toolName: string, output: Record<string, unknown>): Record<string, unknown>;
  /** Builds the per-request clients. Must be cheap: heavy SDKs are imported on first use. */
  createContext(init: ContextInit<SettingsOf<S> & CoreSettings>): Clients;
  /** Rejects combinations of settings that cannot work (throws ConfigError). */
  validate?(settings: SettingsOf<S> & CoreSettings): void;
  /**
   * Connectivity doctor for --check. `ctx` is what a tool call gets (the server's own
   * credentials, the runtime's cache, clients), so a check can reuse the tools' provider code.
   */
  check?(
    settings: SettingsOf<S> & CoreSettings,
    log: Logger,
    ctx: ToolContext<Clients, SettingsOf<S> & CoreSettings>,
  ): Promise<CheckResult>;
  /** Starts a simulated backend for --sandbox. */
  sandbox?(settings: SettingsOf<S> & CoreSettings, log: Logger): Promise<SandboxHandle<SettingsOf<S> & CoreSettings>>;
  /** Extra fields for GET /health. */
  health?(settings: SettingsOf<S> & CoreSettings): Record<string, unknown>;
  /**
   * The tools' listed schemas as the build wrote them (`readToolListings(import.meta.url)`);
   * undefined when running from sources, where they are derived at startup.
   */
  listings?(): Readonly<Record<string, ToolSchemas>> | undefined;
  /**
   * Opens, when the runtime starts, what the server keeps until it closes (a watched file, a
   * registry), in `init.cache` with a `close`. A throw stops the start.
   */
  start?(init: ServerHookInit<SettingsOf<S> & CoreSettings>): Promise<void>;
  /** Additions to the HTTP server (see `HttpExtension`). */
  http?: HttpExtension<SettingsOf<S> & CoreSettings>;
  /** Called after every tool call; it must not throw or block. */
  onToolCall?(record: ToolCallRecord, init: ServerHookInit<SettingsOf<S> & CoreSettings>): void;
  /** Releases what the server holds beyond the runtime's cache; called by `runtime.close()`. */
  dispose?(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds servers of every shape
export type AnyServerDefinition = ServerDefinition<any, any>;

/** The settings of a server definition: its own, core's and its credential providers'. */
export type SettingsOfServer<D> =
  D extends ServerDefinition<infer S, infer _Clients> ? SettingsOf<S> & CoreSettings : Record<string, unknown>;

/** Declares a server. Identity at runtime; it exists so TypeScript infers settings and clients. */
export function defineServer<S extends SettingsSpec, Clients>(
  definition: ServerDefinition<S, Clients>,
): ServerDefinition<S, Clients> {
  return definition;
}

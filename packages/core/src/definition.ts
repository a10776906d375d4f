import type { CoreSettings } from './core-settings.js';
import type { Logger } from './log.js';
import type { SettingsOf, SettingsSpec } from './settings.js';
import type { AnyToolDefinition, RequestInfo } from './tool.js';

/** Where a server takes per-request credentials from, when it is configured to. */
export interface CredentialSource<Settings> {
  /** Which header format to parse. */
  kind: 'volcengine' | 'alibaba';
  /** Whether header credentials are required for this configuration (e.g. CREDENTIAL_TYPE=token). */
  fromHeaders(settings: Settings): boolean;
  /** Named in CREDENTIALS_MISSING when a request carries none. */
  headerHint: string;
}

export interface ContextInit<Settings> {
  settings: Settings;
  request: RequestInfo;
  log: Logger;
  sandbox: boolean;
  signal: AbortSignal;
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
  credentials?: CredentialSource<SettingsOf<S> & CoreSettings>;
  tools: readonly AnyToolDefinition[];
  /** Builds the per-request clients. Must be cheap: heavy SDKs are imported on first use. */
  createContext(init: ContextInit<SettingsOf<S> & CoreSettings>): Clients;
  /** Rejects combinations of settings that cannot work (throws ConfigError). */
  validate?(settings: SettingsOf<S> & CoreSettings): void;
  /** Connectivity doctor for --check. */
  check?(settings: SettingsOf<S> & CoreSettings, log: Logger): Promise<CheckResult>;
  /** Starts a simulated backend for --sandbox. */
  sandbox?(settings: SettingsOf<S> & CoreSettings, log: Logger): Promise<SandboxHandle<SettingsOf<S> & CoreSettings>>;
  /** Extra fields for GET /health. */
  health?(settings: SettingsOf<S> & CoreSettings): Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds servers of every shape
export type AnyServerDefinition = ServerDefinition<any, any>;

/** Declares a server. Identity at runtime; it exists so TypeScript infers settings and clients. */
export function defineServer<S extends SettingsSpec, Clients>(
  definition: ServerDefinition<S, Clients>,
): ServerDefinition<S, Clients> {
  return definition;
}

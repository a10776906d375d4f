import type { SettingsSpec } from '../settings.js';

type Headers = Readonly<Record<string, string | undefined>>;

/**
 * One cloud's credentials: where the server's own come from (settings with env names and
 * aliases, then whatever chain the provider knows), how a request brings its own in headers,
 * and what in them is secret. A server lists its providers; tools read them through
 * `ctx.credentials(id)`.
 */
export interface CredentialProvider<C = unknown> {
  /** `volcengine`, `alibaba`, `aws` …: the key of `ctx.credentials(id)`. */
  id: string;
  /** Human name for messages, e.g. "Alibaba Cloud". */
  title: string;
  /** Settings the provider reads; merged into the server's settings (flags, env, --help). */
  settings: SettingsSpec;
  /**
   * The server's own credentials for a call. Throws CREDENTIALS_MISSING when none are
   * configured (saying which variables to set).
   */
  fromEnv(settings: Record<string, unknown>): Promise<C>;
  /** Whether the server has credentials of its own for this provider (never reads a secret's value out). */
  configured(settings: Record<string, unknown>): boolean;
  /** The provider's env variables that are set (names only), for availability reports. */
  variablesSet?(settings: Record<string, unknown>, sources: Record<string, string>): string[];
  /**
   * Credentials a request carried. Undefined when it carried none; INVALID_CREDENTIALS when
   * they are malformed or incomplete.
   */
  parseHeaders(headers: Headers): C | undefined;
  /** How to send credentials in headers, for CREDENTIALS_MISSING hints. */
  headerHint: string;
  /** Per-request credentials travel in `Authorization`, so API keys then come only in `X-API-Key`. */
  usesAuthorizationHeader?: boolean;
  /** Secret values of these credentials: scrubbed from every result and log line. */
  secrets(credentials: C): string[];
  /** Who these credentials are, for cache keys: core hashes it, so it may contain the secret. */
  identity(credentials: C): string;
}

/** The credentials of a server: its providers, and whether each request must bring its own. */
export interface CredentialConfig<Settings = Record<string, unknown>> {
  // biome-ignore lint/suspicious/noExplicitAny: a server mixes providers of every credential shape
  providers: readonly CredentialProvider<any>[];
  /**
   * True when every request must carry its own credentials in headers (a shared HTTP service
   * acting for many accounts): no fallback to the server's own, refused over stdio.
   */
  perRequest?(settings: Settings): boolean;
}

/** A string that must not contain control characters or non-ASCII (it goes into signed headers). */
export function isHeaderSafe(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Principal } from './http/auth-principal.js';
import type { Logger } from './log.js';

/** How much a tool can change: core derives the annotations and the write gate from it. */
export type Access = 'read' | 'write' | 'destructive';

/**
 * The credentials a request carried in its headers, by credential provider id (`volcengine`,
 * `alibaba`, `aws` …), each in the shape its provider parses.
 */
export type RequestCredentials = Readonly<Record<string, unknown>>;

/** What core knows of the HTTP request (or stdio session) a call belongs to. */
export interface RequestInfo {
  requestId: string;
  sessionId?: string;
  /** `rest` is the plain JSON `POST /call-tool` endpoint of the HTTP server. */
  transport: 'stdio' | 'http' | 'sse' | 'memory' | 'rest';
  /** Lower-cased header names; credential headers are present here but never logged. */
  headers: Readonly<Record<string, string>>;
  credentials?: RequestCredentials;
  tenantId?: string;
  /** Who is calling, when the HTTP server authenticated the request (OAuth subject or API key); never the token. */
  principal?: Principal;
}

/** What a confirmed call will change, shown to the user before anything runs. */
export interface ConfirmPlan {
  /** One or two sentences: what happens if the user agrees. */
  message: string;
  /** Facts the user should see (instance, IP, current and resulting size …). */
  details?: Readonly<Record<string, string | number | boolean | null>>;
  /** Things to weigh before agreeing (production tags, data loss …). */
  warnings?: readonly string[];
}

/** The verdict on a call's confirmation arguments. */
export type ConfirmCheck =
  | { ok: true }
  | {
      ok: false;
      /** True when the confirmation fields were left out (rather than given wrong). */
      missing: boolean;
      /** One reason per wrong or missing field. */
      reasons: readonly string[];
      /** How to confirm, e.g. `confirm=true` or `confirm_ip="203.0.113.7"`. */
      hint: string;
    };

/**
 * Confirmation by arguments, for clients that cannot ask the user. Core adds `shape` to the
 * tool's listed input and calls `check` with the parsed fields. Without it a tool gets core's
 * standard `confirm: true`.
 */
export interface ConfirmArguments<Args = Record<string, unknown>> {
  shape: z.ZodRawShape;
  check(fields: Record<string, unknown>, plan: ConfirmPlan, args: Args): ConfirmCheck;
}

/** How long a cached value lives and how it is released. */
export interface CacheOptions<V> {
  /** Time to live; a function reads it off the value (a credential's expiry). Default: until close. */
  ttlMs?: number | ((value: V) => number);
  /** Releases the value when it expires, is evicted or the runtime closes (pools, sockets). */
  close?: (value: V) => void | Promise<void>;
}

/**
 * The runtime's keyed cache: one value per key and credential identity, created once, shared by
 * the calls of that identity, closed by `runtime.close()`. Keys are hashed, never kept as given,
 * so a connection string with a password in it is safe to pass.
 */
export type CacheFn = <V>(
  key: string | readonly unknown[],
  create: () => V | Promise<V>,
  options?: CacheOptions<V>,
) => Promise<V>;

/** Credentials of a provider for the current call: the request's own, or the server's configured ones. */
export type CredentialsFn = <C = unknown>(providerId: string) => Promise<C>;

/** Everything a handler gets besides its arguments. */
export interface ToolContext<Clients = unknown, Settings = Record<string, unknown>> {
  /** The server's per-request clients (lazy API clients), built by its `createContext`. */
  clients: Clients;
  /** The server's resolved settings (its own and core's). */
  settings: Settings;
  /** Aborted when the client cancels, the call times out or the server shuts down. */
  signal: AbortSignal;
  /**
   * When the call times out (epoch ms), counted from its start, a confirmation included. A tool
   * that waits on purpose stops a little before it, to answer with what to check later.
   */
  deadline: number;
  request: RequestInfo;
  log: Logger;
  /** Whether the server runs against its simulated backend. */
  sandbox: boolean;
  /** Sends notifications/progress when the request carried a progress token; otherwise a no-op. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /**
   * Credentials of one provider: in per-request mode only the request's own (CREDENTIALS_MISSING
   * otherwise, never the server's), else the server's configured ones.
   */
  credentials: CredentialsFn;
  /** The runtime's keyed cache, scoped to this call's credential identity. */
  cache: CacheFn;
}

// biome-ignore lint/suspicious/noExplicitAny: a tool's input is any zod object
export type AnyZodObject = z.ZodObject<any>;

export interface ToolDefinition<
  Input extends AnyZodObject = AnyZodObject,
  Output extends AnyZodObject = AnyZodObject,
  Clients = unknown,
  Settings = Record<string, unknown>,
> {
  name: string;
  title: string;
  description: string;
  access: Access;
  /** Repeating the call with the same arguments has no further effect (write tools only). */
  idempotent?: boolean;
  /** The tool talks to a system outside the server (default true). */
  openWorld?: boolean;
  input: Input;
  output: Output;
  /** Readable text for the result; defaults to the structured output as JSON. */
  format?: (output: z.infer<Output>) => string;
  /**
   * How long a call may run, for a tool that waits on purpose (create-then-poll up to a
   * configured deadline); others get MCP_TOOL_TIMEOUT_MS.
   */
  timeoutMs?: (settings: Settings) => number;
  /** The tool group it belongs to (`--toolsets`); must be one of the server's toolsets. */
  toolset?: string;
  /**
   * What the call will change, for the user to confirm before the handler runs. Required for
   * `destructive` tools; a `write` tool that has it is confirmed too. It may read (to show the
   * current state) but must not change anything.
   */
  confirm?: (args: z.infer<Input>, ctx: ToolContext<Clients, Settings>) => ConfirmPlan | Promise<ConfirmPlan>;
  /** Stricter confirmation arguments than core's `confirm: true` (e.g. retype the IP and name). */
  confirmArguments?: ConfirmArguments<z.infer<Input>>;
  /** Masks what must not leave the server (Secret data …) in the structured output, before the text is made. */
  redact?: (output: z.infer<Output>, ctx: ToolContext<Clients, Settings>) => z.infer<Output>;
  /** Does the work and returns the structured output; throws OpsError on failure. */
  handler: (args: z.infer<Input>, ctx: ToolContext<Clients, Settings>) => Promise<z.infer<Output>>;
}

// biome-ignore lint/suspicious/noExplicitAny: catalogs hold tools of every shape
export type AnyToolDefinition = ToolDefinition<any, any, any, any>;

/** Declares a tool. Identity at runtime; it exists so TypeScript infers the handler's types. */
export function defineTool<
  Input extends AnyZodObject,
  Output extends AnyZodObject,
  Clients = unknown,
  Settings = Record<string, unknown>,
>(definition: ToolDefinition<Input, Output, Clients, Settings>): ToolDefinition<Input, Output, Clients, Settings> {
  return definition;
}

/** The four MCP annotations, derived from `access` so no tool can get them inconsistent. */
export function deriveAnnotations(tool: AnyToolDefinition): ToolAnnotations {
  const readOnly = tool.access === 'read';
  return {
    title: tool.title,
    readOnlyHint: readOnly,
    destructiveHint: tool.access === 'destructive',
    idempotentHint: readOnly ? true : (tool.idempotent ?? false),
    openWorldHint: tool.openWorld ?? true,
  };
}

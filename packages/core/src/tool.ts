import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Logger } from './log.js';

/** How much a tool can change: core derives the annotations and the write gate from it. */
export type Access = 'read' | 'write' | 'destructive';

/** The credentials a request carried in its headers, parsed by the server's credential source. */
export type RequestCredentials =
  | {
      kind: 'volcengine';
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
    }
  | {
      kind: 'alibaba';
      accessKeyId: string;
      accessKeySecret: string;
      securityToken?: string;
      region?: string;
    };

/** What core knows of the HTTP request (or stdio session) a call belongs to. */
export interface RequestInfo {
  requestId: string;
  sessionId?: string;
  transport: 'stdio' | 'http' | 'sse' | 'memory';
  /** Lower-cased header names; credential headers are present here but never logged. */
  headers: Readonly<Record<string, string>>;
  credentials?: RequestCredentials;
  tenantId?: string;
}

export interface ConfirmRequest {
  /** What will happen if the user agrees, in one or two sentences. */
  message: string;
  /** True when the tool's own confirmation arguments are present and correct. */
  confirmedByArguments: boolean;
  /** How to confirm through arguments when the client cannot ask the user, e.g. "pass confirm=true". */
  argumentsHint: string;
}

/** Everything a handler gets besides its arguments. */
export interface ToolContext<Clients = unknown, Settings = Record<string, unknown>> {
  /** The server's per-request clients (lazy API clients), built by its `createContext`. */
  clients: Clients;
  /** The server's resolved settings (its own and core's). */
  settings: Settings;
  /** Aborted when the client cancels, the call times out or the server shuts down. */
  signal: AbortSignal;
  request: RequestInfo;
  log: Logger;
  /** Whether the server runs against its simulated backend. */
  sandbox: boolean;
  /** Sends notifications/progress when the request carried a progress token; otherwise a no-op. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /**
   * Asks the user before a destructive step: through elicitation when the client declared it,
   * otherwise through the tool's confirmation arguments. Resolves only when confirmed; throws
   * CONFIRMATION_REQUIRED or CONFIRMATION_FAILED otherwise, so nothing after it runs.
   */
  confirm(request: ConfirmRequest): Promise<void>;
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

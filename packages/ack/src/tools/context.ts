import { type AnyZodObject, defineTool, type ToolContext, type ToolDefinition } from '@opsmcp/core';
import type { AckClients } from '../clients.js';
import type { AckSettings } from '../cs/open.js';

/** `defineTool` with the ACK clients and settings typed. */
export function ackTool<Input extends AnyZodObject, Output extends AnyZodObject>(
  definition: ToolDefinition<Input, Output, AckClients, AckSettings>,
): ToolDefinition<Input, Output, AckClients, AckSettings> {
  return defineTool(definition);
}

/** What an ACK handler gets besides its arguments. */
export type AckToolContext = ToolContext<AckClients, AckSettings>;

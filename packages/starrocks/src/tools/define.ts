import { type AnyZodObject, defineTool, type ToolDefinition } from '@opsmcp/core';
import type { StarRocksClients } from '../context.js';

/** A StarRocks tool: its handler gets the shared executor through `ctx.clients`. */
export function starRocksTool<Input extends AnyZodObject, Output extends AnyZodObject>(
  definition: ToolDefinition<Input, Output, StarRocksClients>,
): ToolDefinition<Input, Output, StarRocksClients> {
  return defineTool(definition);
}

import { type AnyZodObject, defineTool, type ToolDefinition } from '@opsmcp/core';
import type { RocketMQClient } from '../volcengine/client.js';

/** What a RocketMQ tool handler gets in `ctx.clients`. */
export interface RocketMQClients {
  api: RocketMQClient;
}

/** `defineTool` with the RocketMQ clients typed. */
export function rocketmqTool<Input extends AnyZodObject, Output extends AnyZodObject>(
  definition: ToolDefinition<Input, Output, RocketMQClients>,
): ToolDefinition<Input, Output, RocketMQClients> {
  return defineTool(definition);
}

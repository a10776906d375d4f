import { type CreateServerOptions, createServer, type SettingsOfServer } from '@opsmcp/core';
import { rocketmqServer } from './server.js';

export { rocketmqServer } from './server.js';
export { rocketmqSettings } from './settings.js';
export type { RocketMQClients } from './tools/context.js';
export { rocketmqTools } from './tools/index.js';
export { type ApiResponse, type CallOptions, RocketMQClient, type RocketMQClientOptions } from './volcengine/client.js';
export { API_VERSION, parseEndpoint, SERVICE } from './volcengine/endpoint.js';
export { mapApiError } from './volcengine/errors.js';

/** The RocketMQ MCP server as a library: `await (await createRocketMQServer()).connect(transport)`. */
export function createRocketMQServer(options?: CreateServerOptions<SettingsOfServer<typeof rocketmqServer>>) {
  return createServer(rocketmqServer, options);
}

import { type CreateServerOptions, createServer } from '@opsmcp/core';
import { rocketmqServer } from './server.js';

export { createSandboxState } from './sandbox/data.js';
export {
  type FakeKey,
  type FakeVolcengine,
  type FakeVolcengineOptions,
  type InjectedFailure,
  type ReceivedRequest,
  startFakeVolcengine,
} from './sandbox/fake-volcengine.js';
export { rocketmqServer } from './server.js';
export { rocketmqSettings } from './settings.js';
export type { RocketMQClients } from './tools/context.js';
export { rocketmqTools } from './tools/index.js';
export { type ApiResponse, type CallOptions, RocketMQClient, type RocketMQClientOptions } from './volcengine/client.js';
export { resolveCredentials, type VolcengineCredentials } from './volcengine/credentials.js';
export { API_VERSION, parseEndpoint, SERVICE } from './volcengine/endpoint.js';
export { mapApiError } from './volcengine/errors.js';

/** The RocketMQ MCP server as a library: `await (await createRocketMQServer()).connect(transport)`. */
export function createRocketMQServer(options?: CreateServerOptions) {
  return createServer(rocketmqServer, options);
}

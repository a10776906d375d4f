import { type CreateServerOptions, createServer, type SettingsOfServer } from '@opsmcp/core';
import { ackServer } from './server.js';

export { type AlibabaCall, mapAlibabaError } from './alibaba-errors.js';
export type { AckClients } from './clients.js';
export { CS_API_VERSION, CsApi, type UserKubeconfig } from './cs/client.js';
export { type CsEndpoint, parseCsEndpoint } from './cs/endpoint.js';
export { ackServer } from './server.js';
export { ackSettings } from './settings.js';
export { ackTools } from './tools/index.js';

/** The ACK MCP server as a library: `await (await createAckServer()).connect(transport)`. */
export function createAckServer(options?: CreateServerOptions<SettingsOfServer<typeof ackServer>>) {
  return createServer(ackServer, options);
}

/**
 * The opsmcp test kit: real MCP clients for every transport, a recording HTTP fake, request
 * signature verifiers, the transport contract and the tool-table check. Tests only: runtime code
 * never imports this module (it takes the verifiers from `@opsmcp/core/signing`, re-exported here).
 */

export * from '../signing/index.js';
export {
  type ClientSetup,
  callTool,
  connectInMemory,
  createMemoryLogger,
  type HttpConnectOptions,
  type HttpTestServer,
  type InMemoryConnection,
  type RuntimeOptions,
  type SpawnedServer,
  spawnBin,
  startHttp,
  TEST_ENV,
  type ToolCallOutcome,
} from './clients.js';
export { runTransportContract, type TransportContractOptions } from './contract.js';
export { inspectorCliPath, runInspectorCli } from './inspector.js';
export { expectReadmeCoversServer } from './readme.js';
export * from './recording-server.js';
export { expectToolTable, type ToolTableRow } from './tool-table.js';

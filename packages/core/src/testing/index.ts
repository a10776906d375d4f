/**
 * The opsmcp test kit: real MCP clients for every transport, a recording HTTP fake, request
 * signature verifiers and the signers that go with them, the transport contract and the tool-table
 * check. Tests only: runtime code never imports this module (a sandbox takes the verifiers from
 * `@opsmcp/core/signing`, re-exported here).
 */

export { type Acs3SignOptions, signAcs3Request } from '../signing/acs3.js';
export * from '../signing/index.js';
export { type SigV4SignOptions, signSigV4Request } from '../signing/sigv4.js';
export { type SlsSignOptions, signSlsRequest } from '../signing/sls.js';
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
export { type ContractAuth, runTransportContract, type TransportContractOptions } from './contract.js';
export { callEveryTool, MISSING_CODE, type PlannedToolCall } from './every-tool.js';
export { inspectorCliPath, runInspectorCli } from './inspector.js';
export { freePort } from './ports.js';
export { expectReadmeCoversServer } from './readme.js';
export * from './recording-server.js';
export { expectToolOutputsFreeOf } from './secrets.js';
export { expectToolTable, type ToolTableRow } from './tool-table.js';

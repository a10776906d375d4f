import { type CreateServerOptions, createServer, type SettingsOfServer } from '@opsmcp/core';
import { multicloudServer } from './server.js';

export { type AwsCredentials, awsProvider, awsSettings } from './credentials/aws.js';
export { digitaloceanProvider } from './credentials/digitalocean.js';
export { vultrProvider } from './credentials/vultr.js';
export {
  checkPowerConfirmation,
  LARGE_INSTANCE,
  normalizeIp,
  OPERATION_WORDS,
  PRODUCTION_TAG_KEYS,
  PRODUCTION_TAG_VALUES,
  safetyChecks,
} from './power/index.js';
export { PROVIDER_MODULES, providerModule } from './providers/index.js';
export type { InstanceSummary, PowerAction, PowerResult, ProviderId, ProviderModule } from './providers/types.js';
export { multicloudServer } from './server.js';
export { multicloudSettings } from './settings.js';
export { MULTICLOUD_TOOLSETS, multicloudTools } from './tools/index.js';

/** The settings of the multi-cloud server, typed. */
export type MulticloudSettings = SettingsOfServer<typeof multicloudServer>;

/** The multi-cloud MCP server as a library: `await (await createMulticloudServer()).connect(transport)`. */
export function createMulticloudServer(options?: CreateServerOptions<MulticloudSettings>) {
  return createServer(multicloudServer, options);
}

import { alibabaModule } from './alibaba/index.js';
import { awsModule } from './aws/index.js';
import { digitaloceanModule } from './digitalocean/index.js';
import type { ProviderId, ProviderModule } from './types.js';
import { vultrModule } from './vultr/index.js';

/** Every provider, in the order of the original multi-cloud manager. */
export const PROVIDER_MODULES: readonly ProviderModule[] = [awsModule, digitaloceanModule, vultrModule, alibabaModule];

export const PROVIDER_IDS = ['aws', 'digitalocean', 'vultr', 'alibaba'] as const satisfies readonly ProviderId[];

/** The module of a provider id. */
export function providerModule(id: ProviderId): ProviderModule {
  const found = PROVIDER_MODULES.find((m) => m.id === id);
  if (!found) throw new Error(`no provider module ${id}`);
  return found;
}

export { assertAvailable, isAvailable, PROVIDER_VARIABLES, variablesSet } from './availability.js';
export type { InstanceSummary, PowerAction, PowerResult, ProviderId, ProviderModule } from './types.js';

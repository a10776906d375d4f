import { AWS_CHAIN_VARIABLES } from '../../credentials/aws.js';
import { alibabaCredentials } from '../../providers/alibaba/index.js';
import { isAvailable, PROVIDER_MODULES, PROVIDER_VARIABLES, variablesSet } from '../../providers/index.js';
import type { ProviderId, ProviderModule } from '../../providers/types.js';

/** What each provider offers here. */
export const PROVIDER_CAPABILITIES: Readonly<
  Record<ProviderId, { access: 'read' | 'read_and_power'; operations: string[] }>
> = {
  aws: { access: 'read', operations: ['instance lookup', 'list', 'EBS storage', 'CloudWatch metrics'] },
  digitalocean: {
    access: 'read_and_power',
    operations: ['droplet lookup', 'list', 'power on/off', 'shutdown', 'reboot', 'metrics', 'action history'],
  },
  vultr: { access: 'read_and_power', operations: ['instance lookup', 'list', 'power on/off', 'reboot', 'bandwidth'] },
  alibaba: {
    access: 'read_and_power',
    operations: ['instance lookup', 'list', 'start', 'stop (forced or graceful)', 'reboot', 'monitoring data'],
  },
};

const CHAIN_VARIABLES: Readonly<Record<ProviderId, readonly string[]>> = {
  aws: AWS_CHAIN_VARIABLES,
  alibaba: alibabaCredentials.chainVariables,
  digitalocean: [],
  vultr: [],
};

export interface ProviderStatus {
  provider: ProviderId;
  title: string;
  available: boolean;
  variablesSet: string[];
  toConfigure: string;
}

/** One provider's status: configured or not, which variables are set (names only). */
export function providerStatus(module: ProviderModule, settings: Record<string, unknown>): ProviderStatus {
  return {
    provider: module.id,
    title: module.title,
    available: isAvailable(module, settings),
    variablesSet: variablesSet(module, settings, CHAIN_VARIABLES[module.id]),
    toConfigure: PROVIDER_VARIABLES[module.id],
  };
}

export function allProviderStatuses(settings: Record<string, unknown>): ProviderStatus[] {
  return PROVIDER_MODULES.map((m) => providerStatus(m, settings));
}

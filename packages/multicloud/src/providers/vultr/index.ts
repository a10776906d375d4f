import { OpsError } from '@opsmcp/core';
import { vultrProvider } from '../../credentials/vultr.js';
import type { PowerAction, PowerResult, ProviderModule } from '../types.js';
import type { VultrPowerEndpoint } from './client.js';
import { findVultrByIp, parseVultrId, summarizeVultrInstance, vultrClient } from './instances.js';

export { mapVultrError, VultrClient } from './client.js';
export * from './instances.js';

/**
 * The Vultr endpoint of each action. Vultr has no graceful shutdown (halt cuts the power), so a
 * shutdown is refused rather than silently turned into a hard power-off.
 */
export const VULTR_POWER_ENDPOINTS: Readonly<Record<Exclude<PowerAction, 'shutdown'>, VultrPowerEndpoint>> = {
  power_on: 'start',
  power_off: 'halt',
  reboot: 'reboot',
};

export function vultrShutdownNotSupported(): OpsError {
  return new OpsError(
    'OPERATION_NOT_SUPPORTED',
    'Vultr has no graceful shutdown: its only way to stop an instance is halt, a hard power-off.',
    {
      retryable: false,
      hint: 'Shut the operating system down from inside the instance, or use power_off (power_off_vultr_instance) if cutting the power is acceptable.',
    },
  );
}

export const vultrModule: ProviderModule = {
  id: 'vultr',
  title: 'Vultr',
  credentials: vultrProvider,

  async findByIp(ctx, ip) {
    const client = await vultrClient(ctx, vultrModule);
    return (await findVultrByIp(ctx, client, ip)).map(summarizeVultrInstance);
  },

  async getInstance(ctx, id) {
    const instanceId = parseVultrId(id);
    const client = await vultrClient(ctx, vultrModule);
    return summarizeVultrInstance(await client.getInstance(instanceId));
  },

  async power(ctx, id, action, _options): Promise<PowerResult> {
    if (action === 'shutdown') throw vultrShutdownNotSupported();
    const instanceId = parseVultrId(id);
    const client = await vultrClient(ctx, vultrModule);
    const { requestId } = await client.power(instanceId, VULTR_POWER_ENDPOINTS[action]);
    return {
      status: 'submitted',
      provider: 'vultr',
      instanceId,
      action,
      providerActionId: null,
      requestId: requestId ?? null,
    };
  },
};

import { checkProviderAvailability } from './check-provider-availability.js';
import { getInstanceByProvider } from './get-instance-by-provider.js';
import { getInstanceInfo } from './get-instance-info.js';
import { getSupportedProviders } from './get-supported-providers.js';
import { getSystemStatus } from './get-system-status.js';
import { manageInstancePower } from './manage-instance-power.js';

/** The provider-independent tools, in the original multi-cloud manager's order. */
export const genericTools = [
  getInstanceInfo,
  getInstanceByProvider,
  manageInstancePower,
  getSupportedProviders,
  getSystemStatus,
  checkProviderAvailability,
] as const;

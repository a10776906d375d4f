import { getVultrInstanceBandwidth } from './get-instance-bandwidth.js';
import { getVultrInstanceInfo } from './get-instance-info.js';
import { listVultrInstances } from './list-instances.js';
import { powerOffVultrInstance } from './power-off-instance.js';
import { powerOnVultrInstance } from './power-on-instance.js';
import { rebootVultrInstance } from './reboot-instance.js';

/** The Vultr toolset, in the original multi-cloud manager's order. */
export const vultrTools = [
  getVultrInstanceInfo,
  powerOnVultrInstance,
  powerOffVultrInstance,
  rebootVultrInstance,
  listVultrInstances,
  getVultrInstanceBandwidth,
] as const;

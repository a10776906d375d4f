import { getAlibabaInstanceInfo } from './get-instance-info.js';
import { getAlibabaInstanceMonitoring } from './get-instance-monitoring.js';
import { listAlibabaInstances } from './list-instances.js';
import { powerOffAlibabaInstance } from './power-off-instance.js';
import { powerOnAlibabaInstance } from './power-on-instance.js';
import { rebootAlibabaInstance } from './reboot-instance.js';

/** The Alibaba Cloud ECS toolset, in the original multi-cloud manager's order. */
export const alibabaTools = [
  getAlibabaInstanceInfo,
  powerOnAlibabaInstance,
  powerOffAlibabaInstance,
  rebootAlibabaInstance,
  listAlibabaInstances,
  getAlibabaInstanceMonitoring,
] as const;

import { alibabaPowerTool } from './power-tool.js';

export const rebootAlibabaInstance = alibabaPowerTool(
  'reboot',
  'reboot_alibaba_instance',
  'Reboot an Alibaba Cloud ECS instance',
  'Reboots a running ECS instance gracefully (RebootInstance ForceStop=false: the guest OS restarts itself).',
);

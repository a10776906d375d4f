import { alibabaPowerTool } from './power-tool.js';

export const powerOnAlibabaInstance = alibabaPowerTool(
  'power_on',
  'power_on_alibaba_instance',
  'Start an Alibaba Cloud ECS instance',
  'Starts a stopped ECS instance (StartInstance).',
);

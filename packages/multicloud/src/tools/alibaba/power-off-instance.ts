import { alibabaPowerTool } from './power-tool.js';

export const powerOffAlibabaInstance = alibabaPowerTool(
  'power_off',
  'power_off_alibaba_instance',
  'Force-stop an Alibaba Cloud ECS instance',
  'Stops a running ECS instance at once, without a guest shutdown (StopInstance ForceStop=true, StoppedMode=KeepCharging so the instance keeps its resources and public IP). For a graceful stop use manage_instance_power with action shutdown.',
);

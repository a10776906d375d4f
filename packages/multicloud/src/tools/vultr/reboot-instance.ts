import { vultrPowerTool } from './power-tool.js';

export const rebootVultrInstance = vultrPowerTool(
  'reboot',
  'reboot_vultr_instance',
  'Reboot a Vultr instance',
  'Reboots a running instance (POST /instances/{id}/reboot; Vultr documents it as a hard reboot).',
);

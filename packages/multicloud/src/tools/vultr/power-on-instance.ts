import { vultrPowerTool } from './power-tool.js';

export const powerOnVultrInstance = vultrPowerTool(
  'power_on',
  'power_on_vultr_instance',
  'Start a Vultr instance',
  'Starts a stopped instance (POST /instances/{id}/start). Refused for a running instance, which Vultr would restart.',
);

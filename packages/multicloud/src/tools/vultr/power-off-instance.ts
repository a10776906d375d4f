import { vultrPowerTool } from './power-tool.js';

export const powerOffVultrInstance = vultrPowerTool(
  'power_off',
  'power_off_vultr_instance',
  'Halt a Vultr instance',
  'Halts a running instance (POST /instances/{id}/halt): a hard power-off, like pulling the plug; unsaved data can be lost. Vultr has no graceful shutdown: shut the OS down from inside for a clean stop.',
);

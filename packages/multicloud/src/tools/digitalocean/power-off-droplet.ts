import { digitaloceanPowerTool } from './power-tool.js';

export const powerOffDigitalOceanDroplet = digitaloceanPowerTool(
  'power_off',
  'power_off_digitalocean_droplet',
  'Force a DigitalOcean droplet off',
  'Cuts the power of a running droplet at once (like pulling the plug; unsaved data can be lost). Prefer shutdown_digitalocean_droplet for a clean stop.',
);

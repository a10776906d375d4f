import { digitaloceanPowerTool } from './power-tool.js';

export const powerOnDigitalOceanDroplet = digitaloceanPowerTool(
  'power_on',
  'power_on_digitalocean_droplet',
  'Power on a DigitalOcean droplet',
  'Powers on a droplet that is off.',
);

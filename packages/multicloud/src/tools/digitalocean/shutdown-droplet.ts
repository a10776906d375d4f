import { digitaloceanPowerTool } from './power-tool.js';

export const shutdownDigitalOceanDroplet = digitaloceanPowerTool(
  'shutdown',
  'shutdown_digitalocean_droplet',
  'Shut a DigitalOcean droplet down',
  'Asks the guest OS of a running droplet to shut down cleanly (best effort: if the OS ignores it, the droplet stays on and power_off is the fallback).',
);

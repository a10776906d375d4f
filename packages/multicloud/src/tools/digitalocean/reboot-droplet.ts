import { digitaloceanPowerTool } from './power-tool.js';

export const rebootDigitalOceanDroplet = digitaloceanPowerTool(
  'reboot',
  'reboot_digitalocean_droplet',
  'Reboot a DigitalOcean droplet',
  'Reboots a running droplet gracefully (the guest OS restarts).',
);

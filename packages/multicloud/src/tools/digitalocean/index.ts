import { getDigitalOceanDropletActions } from './get-droplet-actions.js';
import { getDigitalOceanDropletInfo } from './get-droplet-info.js';
import { getDigitalOceanDropletMonitoring } from './get-droplet-monitoring.js';
import { listDigitalOceanDroplets } from './list-droplets.js';
import { powerOffDigitalOceanDroplet } from './power-off-droplet.js';
import { powerOnDigitalOceanDroplet } from './power-on-droplet.js';
import { rebootDigitalOceanDroplet } from './reboot-droplet.js';
import { shutdownDigitalOceanDroplet } from './shutdown-droplet.js';

/** The DigitalOcean toolset, in the original multi-cloud manager's order. */
export const digitaloceanTools = [
  getDigitalOceanDropletInfo,
  powerOnDigitalOceanDroplet,
  powerOffDigitalOceanDroplet,
  shutdownDigitalOceanDroplet,
  rebootDigitalOceanDroplet,
  listDigitalOceanDroplets,
  getDigitalOceanDropletMonitoring,
  getDigitalOceanDropletActions,
] as const;

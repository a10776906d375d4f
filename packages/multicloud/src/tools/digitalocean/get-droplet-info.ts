import { defineTool, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { isIpAddress, normalizeIp } from '../../power/ip.js';
import {
  type DropletMatch,
  digitaloceanClient,
  dropletView,
  dropletViewSchema,
  findDropletsByIp,
  parseDropletId,
} from '../../providers/digitalocean/droplets.js';
import { digitaloceanModule } from '../../providers/digitalocean/index.js';

export const getDigitalOceanDropletInfo = defineTool({
  name: 'get_digitalocean_droplet_info',
  title: 'Get a DigitalOcean droplet',
  description:
    'Shows one DigitalOcean droplet, found by its id or by a public IPv4/IPv6 address (every droplet page is searched, GPU droplets included, and reserved IPs resolve to the droplet they point at): status, size, region, addresses, tags, features and whether the metrics agent is installed.',
  access: 'read',
  toolset: 'digitalocean',
  input: z.object({
    ip_address_or_id: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .describe(
        'A droplet id (digits, e.g. 401234567) or a public IPv4/IPv6 address of the droplet (reserved IPs too)',
      ),
  }),
  output: z.object({
    droplet: dropletViewSchema,
    matchedBy: z.enum(['id', 'public_ip', 'reserved_ip']),
    otherMatches: z.array(z.number().int()).describe('Ids of further droplets with the same address (normally none)'),
  }),
  async handler({ ip_address_or_id: identifier }, ctx) {
    if (/^\d+$/.test(identifier)) {
      const dropletId = parseDropletId(identifier);
      const client = await digitaloceanClient(ctx, digitaloceanModule);
      const droplet = await client.getDroplet(dropletId);
      return { droplet: dropletView(droplet), matchedBy: 'id' as const, otherMatches: [] };
    }
    if (!isIpAddress(identifier)) {
      throw new OpsError('INVALID_ARGUMENT', `"${identifier}" is neither a droplet id (digits) nor an IP address.`, {
        hint: 'Pass the droplet id or its public IPv4/IPv6 address; list_digitalocean_droplets shows both.',
      });
    }
    const client = await digitaloceanClient(ctx, digitaloceanModule);
    const ip = normalizeIp(identifier);
    const matches: DropletMatch[] = await findDropletsByIp(ctx, client, ip);
    const [first, ...rest] = matches;
    if (!first) {
      throw new OpsError('RESOURCE_NOT_FOUND', `No DigitalOcean droplet of this account has the public IP ${ip}.`, {
        hint: 'Every droplet (GPU droplets included) and the reserved IPs were checked. The address may belong to another account or provider: try get_instance_info.',
      });
    }
    return {
      droplet: dropletView(first.droplet, first.reservedIps),
      matchedBy: first.matchedBy,
      otherMatches: rest.map((m) => m.droplet.id),
    };
  },
});

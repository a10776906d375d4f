import { defineTool, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { isIpAddress, normalizeIp } from '../../power/ip.js';
import { vultrModule } from '../../providers/vultr/index.js';
import {
  findVultrByIp,
  VULTR_INSTANCE_ID,
  vultrClient,
  vultrInstanceView,
  vultrInstanceViewSchema,
} from '../../providers/vultr/instances.js';

export const getVultrInstanceInfo = defineTool({
  name: 'get_vultr_instance_info',
  title: 'Get a Vultr instance',
  description:
    'Shows one Vultr instance, found by its id (a UUID) or by its main public IPv4 or IPv6 address: power status (running/stopped), subscription status, plan, region, OS, addresses and tags.',
  access: 'read',
  toolset: 'vultr',
  input: z.object({
    ip_address_or_id: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .describe(
        'A Vultr instance id (UUID, e.g. cb676a46-66fd-4dfb-b839-443f2e6c0b60) or its main public IPv4/IPv6 address',
      ),
  }),
  output: z.object({
    instance: vultrInstanceViewSchema,
    matchedBy: z.enum(['id', 'main_ip', 'v6_main_ip']),
    otherMatches: z.array(z.string()).describe('Ids of further instances with the same address (normally none)'),
  }),
  async handler({ ip_address_or_id: identifier }, ctx) {
    if (VULTR_INSTANCE_ID.test(identifier)) {
      const client = await vultrClient(ctx, vultrModule);
      const instance = await client.getInstance(identifier.toLowerCase());
      return { instance: vultrInstanceView(instance), matchedBy: 'id' as const, otherMatches: [] };
    }
    if (!isIpAddress(identifier)) {
      throw new OpsError(
        'INVALID_ARGUMENT',
        `"${identifier}" is neither a Vultr instance id (a UUID) nor an IP address.`,
        {
          hint: 'Pass the instance id or its main IP; list_vultr_instances shows both.',
        },
      );
    }
    const ip = normalizeIp(identifier);
    const client = await vultrClient(ctx, vultrModule);
    const [first, ...rest] = await findVultrByIp(ctx, client, ip);
    if (!first) {
      throw new OpsError('RESOURCE_NOT_FOUND', `No Vultr instance of this account has the main IP ${ip}.`, {
        hint: 'The address may be a reserved IP, belong to another account or to another provider: try get_instance_info.',
      });
    }
    return {
      instance: vultrInstanceView(first),
      matchedBy: ip.includes(':') ? ('v6_main_ip' as const) : ('main_ip' as const),
      otherMatches: rest.map((i) => i.id),
    };
  },
});

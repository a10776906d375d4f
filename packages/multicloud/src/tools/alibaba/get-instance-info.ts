import { defineTool, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { isIpAddress, normalizeIp } from '../../power/ip.js';
import { alibabaSearchRegions } from '../../providers/alibaba/client.js';
import { alibabaModule, findAlibabaByIp, getAlibabaInstance } from '../../providers/alibaba/index.js';
import { assertAvailable } from '../../providers/availability.js';
import { alibabaInstanceSchema, alibabaRegionInput } from './schemas.js';

export const getAlibabaInstanceInfo = defineTool({
  name: 'get_alibaba_instance_info',
  title: 'Get an Alibaba Cloud ECS instance',
  description:
    "Shows one ECS instance, found by its instance id or by a public IP — the instance's own public IP or its Elastic IP (ECS's PublicIpAddresses and EipAddresses filters). Without a region an IP is searched in every region of ALIBABA_CLOUD_REGIONS at once.",
  access: 'read',
  toolset: 'alibaba',
  input: z.object({
    ip_address_or_id: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .describe('An ECS instance id (i-…) or a public IP / EIP of the instance'),
    region: alibabaRegionInput,
  }),
  output: z.object({
    instance: alibabaInstanceSchema,
    matchedBy: z.enum(['id', 'public_ip']),
    otherMatches: z.array(z.string()),
    regionsSearched: z.array(z.string()),
  }),
  async handler({ ip_address_or_id: identifier, region }, ctx) {
    assertAvailable(ctx, alibabaModule);
    if (identifier.startsWith('i-')) {
      const instance = await getAlibabaInstance(ctx, identifier, region);
      return { instance, matchedBy: 'id' as const, otherMatches: [], regionsSearched: [instance.summary.region ?? ''] };
    }
    if (!isIpAddress(identifier)) {
      throw new OpsError(
        'INVALID_ARGUMENT',
        `"${identifier.slice(0, 64)}" is neither an ECS instance id nor an IP address.`,
      );
    }
    const regions = region ? [region] : alibabaSearchRegions(ctx);
    const [first, ...others] = await findAlibabaByIp(ctx, identifier, region);
    if (!first) {
      throw new OpsError(
        'RESOURCE_NOT_FOUND',
        `No ECS instance has the public IP or EIP ${normalizeIp(identifier)} in ${regions.join(', ')}.`,
        { hint: 'Pass region, or list more regions in ALIBABA_CLOUD_REGIONS.' },
      );
    }
    return {
      instance: first,
      matchedBy: 'public_ip' as const,
      otherMatches: others.map((i) => i.summary.id),
      regionsSearched: regions,
    };
  },
});

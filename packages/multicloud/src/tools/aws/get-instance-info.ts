import { defineTool, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { isIpAddress, normalizeIp } from '../../power/ip.js';
import { assertAvailable } from '../../providers/availability.js';
import { searchRegions } from '../../providers/aws/clients.js';
import { awsModule, findAwsByIp, getAwsInstance } from '../../providers/aws/index.js';
import { awsInstanceSchema, awsRegionInput } from './schemas.js';

export const getAwsInstanceInfo = defineTool({
  name: 'get_aws_instance_info',
  title: 'Get an AWS EC2 instance',
  description:
    'Shows one EC2 instance (read only), found by its instance id or by a public IPv4/IPv6 address — the primary public IP, an Elastic IP or an address on a secondary network interface. Without a region an IP is searched in every region of AWS_REGIONS at once.',
  access: 'read',
  toolset: 'aws',
  input: z.object({
    ip_address_or_id: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .describe('An EC2 instance id (i-…) or a public IP address of the instance'),
    region: awsRegionInput,
  }),
  output: z.object({
    instance: awsInstanceSchema,
    matchedBy: z.enum(['id', 'public_ip']),
    otherMatches: z.array(z.string()).describe('Ids of further instances with the same address (normally none)'),
    regionsSearched: z.array(z.string()),
  }),
  async handler({ ip_address_or_id: identifier, region }, ctx) {
    assertAvailable(ctx, awsModule);
    if (identifier.startsWith('i-')) {
      const instance = await getAwsInstance(ctx, identifier, region);
      return { instance, matchedBy: 'id' as const, otherMatches: [], regionsSearched: [instance.summary.region ?? ''] };
    }
    if (!isIpAddress(identifier)) {
      throw new OpsError(
        'INVALID_ARGUMENT',
        `"${identifier.slice(0, 64)}" is neither an EC2 instance id nor an IP address.`,
      );
    }
    const regions = region ? [region] : searchRegions(ctx);
    const found = await findAwsByIp(ctx, identifier, region);
    const [first, ...others] = found;
    if (!first) {
      throw new OpsError(
        'RESOURCE_NOT_FOUND',
        `No EC2 instance has the public IP ${normalizeIp(identifier)} in ${regions.join(', ')}.`,
        { hint: 'Pass region, or list more regions in AWS_REGIONS.' },
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

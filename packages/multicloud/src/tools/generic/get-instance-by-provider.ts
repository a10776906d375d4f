import { defineTool, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { isIpAddress, normalizeIp } from '../../power/ip.js';
import { assertAvailable, providerModule } from '../../providers/index.js';
import { instanceSummarySchema, providerIdSchema } from '../../providers/schema.js';
import type { ProviderId } from '../../providers/types.js';
import { providerInput } from './schemas.js';

/** What an instance id looks like on each provider. */
const ID_FORMATS: Readonly<Record<ProviderId, { pattern: RegExp; example: string }>> = {
  aws: { pattern: /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, example: 'i-0a1b2c3d4e5f60001' },
  alibaba: { pattern: /^i-[a-z0-9]{8,30}$/, example: 'i-bp1hx8u4m2v0c7x5k301' },
  digitalocean: { pattern: /^\d{1,16}$/, example: '401234567' },
  vultr: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    example: 'cb676a46-66fd-4dfb-b839-443f2e6c0b60',
  },
};

export const getInstanceByProvider = defineTool({
  name: 'get_instance_by_provider',
  title: 'Get a VM from a given cloud',
  description:
    "Shows one instance of the given provider, by IP address or instance id (told apart by form: an IP, else the provider's id format — AWS/Alibaba i-…, DigitalOcean digits, Vultr UUID), in the common shape: state, IPs, size, region, tags.",
  access: 'read',
  toolset: 'generic',
  input: z.object({
    provider: providerInput('aws, digitalocean, vultr or alibaba'),
    identifier: z.string().trim().min(1).max(64).describe('A public IP address or the instance id'),
  }),
  output: z.object({
    provider: providerIdSchema,
    instance: instanceSummarySchema,
    matchedBy: z.enum(['id', 'public_ip']),
    otherMatches: z.array(instanceSummarySchema),
  }),
  async handler({ provider, identifier }, ctx) {
    const module = providerModule(provider);
    if (isIpAddress(identifier)) {
      assertAvailable(ctx, module);
      const ip = normalizeIp(identifier);
      const [first, ...others] = await module.findByIp(ctx, ip);
      if (!first) throw new OpsError('RESOURCE_NOT_FOUND', `No ${module.title} instance has the public IP ${ip}.`);
      return { provider, instance: first, matchedBy: 'public_ip' as const, otherMatches: others };
    }
    const format = ID_FORMATS[provider];
    if (!format.pattern.test(identifier)) {
      throw new OpsError(
        'INVALID_ARGUMENT',
        `"${identifier.slice(0, 64)}" is neither an IP address nor a ${module.title} instance id (e.g. ${format.example}).`,
      );
    }
    assertAvailable(ctx, module);
    const instance = await module.getInstance(ctx, identifier);
    return { provider, instance, matchedBy: 'id' as const, otherMatches: [] };
  },
});

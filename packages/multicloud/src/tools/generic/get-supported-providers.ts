import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { providerIdSchema } from '../../providers/schema.js';
import { allProviderStatuses, PROVIDER_CAPABILITIES } from './provider-status.js';

export const getSupportedProviders = defineTool({
  name: 'get_supported_providers',
  title: 'Supported clouds',
  description:
    'Lists the four supported clouds (AWS read only; DigitalOcean, Vultr and Alibaba Cloud with power operations), whether each is configured on this server, and whether IP-based provider detection (ipinfo) has a token. No network call.',
  access: 'read',
  openWorld: false,
  toolset: 'generic',
  input: z.object({}),
  output: z.object({
    providers: z.array(
      z.object({
        provider: providerIdSchema,
        title: z.string(),
        available: z.boolean(),
        access: z.enum(['read', 'read_and_power']),
        operations: z.array(z.string()),
      }),
    ),
    ipDetection: z.object({ service: z.literal('ipinfo'), tokenConfigured: z.boolean() }),
  }),
  async handler(_args, ctx) {
    const settings = ctx.settings as Record<string, unknown>;
    return {
      providers: allProviderStatuses(settings).map((s) => ({
        provider: s.provider,
        title: s.title,
        available: s.available,
        ...PROVIDER_CAPABILITIES[s.provider],
      })),
      ipDetection: {
        service: 'ipinfo' as const,
        tokenConfigured: typeof settings.ipinfoToken === 'string' && settings.ipinfoToken !== '',
      },
    };
  },
});

import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { providerModule } from '../../providers/index.js';
import { providerIdSchema } from '../../providers/schema.js';
import { providerStatus } from './provider-status.js';
import { providerInput } from './schemas.js';

export const checkProviderAvailability = defineTool({
  name: 'check_provider_availability',
  title: 'Is a cloud configured?',
  description:
    'Says whether one provider is configured on this server and which of its variables are set (names only, never values), and what to set otherwise. The name is case-insensitive. No network call.',
  access: 'read',
  openWorld: false,
  toolset: 'generic',
  input: z.object({ provider_name: providerInput('aws, digitalocean, vultr or alibaba (any case)') }),
  output: z.object({
    provider: providerIdSchema,
    title: z.string(),
    available: z.boolean(),
    variablesSet: z.array(z.string()).describe('Names of the set variables; values are never shown'),
    toConfigure: z.string(),
  }),
  async handler({ provider_name: provider }, ctx) {
    return providerStatus(providerModule(provider), ctx.settings as Record<string, unknown>);
  },
});

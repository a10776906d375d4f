import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import packageJson from '../../../package.json' with { type: 'json' };
import { providerIdSchema } from '../../providers/schema.js';
import { allProviderStatuses } from './provider-status.js';

export const getSystemStatus = defineTool({
  name: 'get_system_status',
  title: 'Server status',
  description:
    "The server's status: operational when at least one cloud is configured (limited otherwise), which clouds are, whether power tools are enabled (--allow-write), and the safety features in force. No network call.",
  access: 'read',
  openWorld: false,
  toolset: 'generic',
  input: z.object({}),
  output: z.object({
    status: z.enum(['operational', 'limited']),
    version: z.string(),
    sandbox: z.boolean(),
    availableProviders: z.array(providerIdSchema),
    availableCount: z.number(),
    totalProviders: z.number(),
    powerToolsEnabled: z.boolean(),
    safetyFeatures: z.array(z.string()),
  }),
  async handler(_args, ctx) {
    const settings = ctx.settings as Record<string, unknown>;
    const available = allProviderStatuses(settings)
      .filter((s) => s.available)
      .map((s) => s.provider);
    return {
      status: available.length > 0 ? ('operational' as const) : ('limited' as const),
      version: packageJson.version,
      sandbox: ctx.sandbox,
      availableProviders: available,
      availableCount: available.length,
      totalProviders: 4,
      powerToolsEnabled: settings.allowWrite === true,
      safetyFeatures: [
        'AWS is read only',
        'no tool can delete anything',
        'power tools hidden unless --allow-write',
        "every power operation confirmed by the user (elicitation) or by retyping the instance's IP, name and operation",
        'production tags (env/environment/stage = prod/production) and large sizes (≥16 vCPU or ≥64 GiB) flagged',
        'actions the current state does not allow are refused before anything is sent',
        'the instance is read again just before acting',
      ],
    };
  },
});

import { defineTool, isOpsError, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { detectProviderByIp } from '../../detect/index.js';
import { isIpAddress, normalizeIp } from '../../power/ip.js';
import {
  assertAvailable,
  isAvailable,
  PROVIDER_MODULES,
  PROVIDER_VARIABLES,
  providerModule,
} from '../../providers/index.js';
import { instanceSummarySchema, providerIdSchema } from '../../providers/schema.js';
import type { InstanceSummary, ProviderModule } from '../../providers/types.js';
import { providerInput } from './schemas.js';

const attemptSchema = z.object({
  provider: providerIdSchema,
  outcome: z.enum(['found', 'not_found', 'error', 'not_configured']),
  error: z.string().optional(),
});

/** Looks the IP up in one provider's inventory, never throwing (the outcome says what happened). */
async function tryProvider(
  ctx: Parameters<ProviderModule['findByIp']>[0],
  module: ProviderModule,
  ip: string,
): Promise<{ attempt: z.infer<typeof attemptSchema>; found: InstanceSummary[] }> {
  try {
    const found = await module.findByIp(ctx, ip);
    return { attempt: { provider: module.id, outcome: found.length ? 'found' : 'not_found' }, found };
  } catch (error) {
    if (isOpsError(error) && error.code === 'CANCELLED') throw error;
    const text = isOpsError(error) ? `${error.code}: ${error.message}` : 'the lookup failed';
    return { attempt: { provider: module.id, outcome: 'error', error: text }, found: [] };
  }
}

export const getInstanceInfo = defineTool({
  name: 'get_instance_info',
  title: 'Find a VM by IP on any cloud',
  description:
    "Finds the VM that has a public IP, on whichever cloud it lives. With provider, asks only that provider. Without, searches every configured provider's inventory at once (AWS and Alibaba across their region lists, DigitalOcean reserved IPs and Vultr included), then asks ipinfo which network the address belongs to.",
  access: 'read',
  toolset: 'generic',
  input: z.object({
    ip_address: z.string().trim().min(1).max(64).describe('Public IPv4 or IPv6 address of the instance'),
    provider: providerInput(
      'Skip detection and ask only this provider: aws, digitalocean, vultr or alibaba',
    ).optional(),
  }),
  output: z.object({
    provider: providerIdSchema,
    instance: instanceSummarySchema,
    otherMatches: z.array(instanceSummarySchema).describe('Further instances with the same address (normally none)'),
    foundBy: z
      .enum(['provider', 'inventory'])
      .describe('provider: the given provider; inventory: a search of every configured provider'),
    attempts: z.array(attemptSchema),
  }),
  async handler({ ip_address: raw, provider }, ctx) {
    if (!isIpAddress(raw)) throw new OpsError('INVALID_ARGUMENT', `"${raw.slice(0, 64)}" is not an IP address.`);
    const ip = normalizeIp(raw);
    if (provider) {
      const module = providerModule(provider);
      assertAvailable(ctx, module);
      const [first, ...others] = await module.findByIp(ctx, ip);
      if (!first) throw new OpsError('RESOURCE_NOT_FOUND', `No ${module.title} instance has the public IP ${ip}.`);
      return {
        provider,
        instance: first,
        otherMatches: others,
        foundBy: 'provider' as const,
        attempts: [{ provider, outcome: 'found' as const }],
      };
    }

    const configured = PROVIDER_MODULES.filter((m) => isAvailable(m, ctx.settings as Record<string, unknown>));
    const results = await Promise.all(configured.map((m) => tryProvider(ctx, m, ip)));
    const attempts: z.infer<typeof attemptSchema>[] = [
      ...results.map((r) => r.attempt),
      ...PROVIDER_MODULES.filter((m) => !configured.includes(m)).map((m) => ({
        provider: m.id,
        outcome: 'not_configured' as const,
      })),
    ];
    const found = results.flatMap((r) => r.found);
    const [first, ...others] = found;
    if (first)
      return {
        provider: first.provider,
        instance: first,
        otherMatches: others,
        foundBy: 'inventory' as const,
        attempts,
      };

    const tried = attempts
      .map((a) => `${a.provider}: ${a.outcome.replace('_', ' ')}${a.error ? ` (${a.error})` : ''}`)
      .join('; ');
    const detection = await detectProviderByIp(ctx, ip);
    if (detection.provider) {
      const module = providerModule(detection.provider);
      const evidence = `ipinfo places ${ip} in ${module.title}'s network (${detection.asn ?? detection.org ?? 'by name'})`;
      if (!configured.includes(module)) {
        throw new OpsError(
          'PROVIDER_NOT_AVAILABLE',
          `${evidence}, and ${module.title} is not configured on this server. Tried: ${tried}.`,
          {
            hint: `Set ${PROVIDER_VARIABLES[module.id]} to look the instance up.`,
          },
        );
      }
      throw new OpsError(
        'RESOURCE_NOT_FOUND',
        `${evidence}, but no instance of this account has it. Tried: ${tried}.`,
        {
          hint: 'It may belong to another account, another region (AWS_REGIONS / ALIBABA_CLOUD_REGIONS), or a load balancer.',
        },
      );
    }
    throw new OpsError(
      'PROVIDER_NOT_AVAILABLE',
      `No configured provider has an instance with ${ip}, and ipinfo could not tell which cloud it belongs to${detection.error ? ` (${detection.error})` : ''}. Tried: ${tried}.`,
      { hint: 'Pass provider if you know it; configure the provider it belongs to.', retryable: false },
    );
  },
});

import { z } from 'zod';

export const providerIdSchema = z.enum(['aws', 'digitalocean', 'vultr', 'alibaba']);

/** `InstanceSummary` as an output schema: the same shape for every provider. */
export const instanceSummarySchema = z.object({
  provider: providerIdSchema,
  id: z.string(),
  name: z.string(),
  state: z.string().describe("The provider's own power state word"),
  running: z.boolean().nullable().describe('true running, false stopped, null transitional or unknown'),
  publicIps: z.array(z.string()).describe('Every public IPv4/IPv6 address, reserved and elastic IPs included'),
  privateIps: z.array(z.string()),
  region: z.string().nullable(),
  type: z.string().nullable(),
  vcpus: z.number().nullable(),
  memoryMb: z.number().nullable(),
  tags: z.record(z.string(), z.string()),
  createdAt: z.string().nullable(),
  locked: z.boolean().optional(),
});

/** Region ids as the tools accept them. */
export const regionInput = (provider: string, example: string) =>
  z
    .string()
    .trim()
    .regex(/^[a-z]{2,}(-[a-z0-9]+)+$/, `a region id such as ${example}`)
    .optional()
    .describe(`${provider} region (e.g. ${example}); default: the server's configured region`);

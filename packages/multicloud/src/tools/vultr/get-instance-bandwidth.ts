import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { vultrModule } from '../../providers/vultr/index.js';
import { VULTR_INSTANCE_ID, vultrClient } from '../../providers/vultr/instances.js';

const GB = 1024 ** 3;
const gb = (bytes: number) => Math.round((bytes / GB) * 1000) / 1000;

export const getVultrInstanceBandwidth = defineTool({
  name: 'get_vultr_instance_bandwidth',
  title: 'Vultr instance bandwidth',
  description:
    'Daily inbound and outbound traffic of a Vultr instance (UTC days, oldest first, as Vultr records them; refreshed periodically, not real time), with the totals over the period.',
  access: 'read',
  toolset: 'vultr',
  input: z.object({
    instance_id: z
      .string()
      .trim()
      .regex(VULTR_INSTANCE_ID, 'a Vultr instance id (UUID)')
      .describe('Vultr instance id (a UUID)'),
  }),
  output: z.object({
    instanceId: z.string(),
    days: z.array(
      z.object({
        date: z.string().describe('UTC day, YYYY-MM-DD'),
        incomingBytes: z.number(),
        outgoingBytes: z.number(),
        incomingGiB: z.number(),
        outgoingGiB: z.number(),
      }),
    ),
    totals: z.object({
      incomingBytes: z.number(),
      outgoingBytes: z.number(),
      incomingGiB: z.number(),
      outgoingGiB: z.number(),
    }),
    dayCount: z.number().int(),
  }),
  async handler({ instance_id }, ctx) {
    const instanceId = instance_id.toLowerCase();
    const client = await vultrClient(ctx, vultrModule);
    const bandwidth = await client.getBandwidth(instanceId);
    const days = Object.entries(bandwidth)
      .filter(([date]) => /^\d{4}-\d{2}-\d{2}$/.test(date))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, day]) => {
        const incomingBytes = Number(day?.incoming_bytes ?? 0) || 0;
        const outgoingBytes = Number(day?.outgoing_bytes ?? 0) || 0;
        return { date, incomingBytes, outgoingBytes, incomingGiB: gb(incomingBytes), outgoingGiB: gb(outgoingBytes) };
      });
    const incomingBytes = days.reduce((sum, d) => sum + d.incomingBytes, 0);
    const outgoingBytes = days.reduce((sum, d) => sum + d.outgoingBytes, 0);
    return {
      instanceId,
      days,
      totals: { incomingBytes, outgoingBytes, incomingGiB: gb(incomingBytes), outgoingGiB: gb(outgoingBytes) },
      dayCount: days.length,
    };
  },
});

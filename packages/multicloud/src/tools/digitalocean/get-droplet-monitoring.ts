import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { digitaloceanClient, hasMonitoringAgent } from '../../providers/digitalocean/droplets.js';
import { digitaloceanModule } from '../../providers/digitalocean/index.js';
import {
  cpuUtilisation,
  DIGITALOCEAN_MONITORING,
  downsample,
  gauge,
  memoryUsedPercent,
  type Point,
  seriesSchema,
  stepOf,
  toSeries,
} from '../../providers/digitalocean/monitoring.js';

export const getDigitalOceanDropletMonitoring = defineTool({
  name: 'get_digitalocean_droplet_monitoring',
  title: 'DigitalOcean droplet metrics',
  description: `Metrics of one droplet over the last hours (default ${DIGITALOCEAN_MONITORING.defaultHours}, at most ${DIGITALOCEAN_MONITORING.maxHours}): CPU utilisation in percent (computed from the per-mode CPU counters), public inbound and outbound bandwidth in Mbps, and memory used in percent when the droplet runs the metrics agent. Series are sorted by time and averaged down to at most ${DIGITALOCEAN_MONITORING.maxPoints} points.`,
  access: 'read',
  toolset: 'digitalocean',
  input: z.object({
    droplet_id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('Droplet id (an integer)'),
    hours: z
      .number()
      .int()
      .min(1)
      .max(DIGITALOCEAN_MONITORING.maxHours)
      .default(DIGITALOCEAN_MONITORING.defaultHours)
      .describe(`How many hours back from now, 1–${DIGITALOCEAN_MONITORING.maxHours}`),
  }),
  output: z.object({
    dropletId: z.number().int(),
    name: z.string(),
    start: z.string().describe('ISO 8601, UTC'),
    end: z.string(),
    hours: z.number().int(),
    stepSeconds: z.number().nullable().describe('Spacing of the returned points'),
    agentInstalled: z.boolean().describe('The metrics agent runs on the droplet (needed for memory)'),
    cpuPercent: seriesSchema,
    publicInboundMbps: seriesSchema,
    publicOutboundMbps: seriesSchema,
    memoryUsedPercent: seriesSchema.nullable().describe('null without the metrics agent'),
    notes: z.array(z.string()),
  }),
  async handler({ droplet_id: dropletId, hours }, ctx) {
    const client = await digitaloceanClient(ctx, digitaloceanModule);
    const droplet = await client.getDroplet(dropletId);
    const end = Math.floor(Date.now() / 1000);
    const start = end - hours * 3600;
    const range = { host_id: String(dropletId), start, end };
    const agent = hasMonitoringAgent(droplet);
    const metric = (name: string, extra: { interface?: string; direction?: string } = {}) =>
      client.getDropletMetric(name, { ...range, ...extra });

    const [cpu, inbound, outbound, memoryTotal, memoryAvailable] = await Promise.all([
      metric('cpu'),
      metric('bandwidth', { interface: 'public', direction: 'inbound' }),
      metric('bandwidth', { interface: 'public', direction: 'outbound' }),
      agent ? metric('memory_total') : undefined,
      agent ? metric('memory_available') : undefined,
    ]);

    const notes: string[] = [];
    const bounded = (points: Point[]) => downsample(points, DIGITALOCEAN_MONITORING.maxPoints);
    const cpuPoints = bounded(cpuUtilisation(cpu));
    const inboundPoints = bounded(gauge(inbound));
    const outboundPoints = bounded(gauge(outbound));
    let memory: Point[] | null = null;
    if (memoryTotal && memoryAvailable) {
      memory = bounded(memoryUsedPercent(gauge(memoryTotal), gauge(memoryAvailable)));
      if (memory.length === 0) notes.push('The metrics agent reported no memory samples in this range.');
    } else {
      notes.push(
        'Memory metrics need the DigitalOcean metrics agent, which this droplet does not run (its features lack "monitoring"); install it with `curl -sSL https://repos.insights.digitalocean.com/install.sh | sudo bash`.',
      );
    }
    if (cpuPoints.length === 0) notes.push('No CPU samples in this range (the droplet may have been off).');
    if (droplet.status !== 'active')
      notes.push(`The droplet is ${droplet.status}; it reports no new samples while off.`);

    return {
      dropletId,
      name: droplet.name,
      start: new Date(start * 1000).toISOString(),
      end: new Date(end * 1000).toISOString(),
      hours,
      stepSeconds: stepOf(cpuPoints) ?? stepOf(inboundPoints),
      agentInstalled: agent,
      cpuPercent: toSeries(cpuPoints, 'percent'),
      publicInboundMbps: toSeries(inboundPoints, 'Mbps', 4),
      publicOutboundMbps: toSeries(outboundPoints, 'Mbps', 4),
      memoryUsedPercent: memory ? toSeries(memory, 'percent') : null,
      notes,
    };
  },
});

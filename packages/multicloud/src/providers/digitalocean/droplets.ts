import { OpsError, type ToolContext } from '@opsmcp/core';
import { z } from 'zod';
import type { DigitalOceanCredentials } from '../../credentials/digitalocean.js';
import { isIpAddress, normalizeIp } from '../../power/ip.js';
import { assertAvailable } from '../availability.js';
import type { InstanceSummary, ProviderModule } from '../types.js';
import { DigitalOceanClient, type Droplet } from './client.js';

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

interface DigitalOceanSettings {
  digitaloceanApiUrl: string;
  requestTimeoutMs: number;
  maxRetries: number;
}

/** Droplet ids are positive integers (the API's 64-bit ids fit in a double's exact range today). */
export const DROPLET_ID = /^[1-9]\d{0,15}$/;

/** The client for this call: the configured base URL and token, the call's signal and limits. */
export async function digitaloceanClient(ctx: AnyContext, module: ProviderModule): Promise<DigitalOceanClient> {
  assertAvailable(ctx, module);
  const settings = ctx.settings as DigitalOceanSettings;
  const { token } = await ctx.credentials<DigitalOceanCredentials>('digitalocean');
  return new DigitalOceanClient({
    baseUrl: settings.digitaloceanApiUrl,
    token,
    timeoutMs: settings.requestTimeoutMs,
    maxRetries: settings.maxRetries,
    signal: ctx.signal,
  });
}

/** A droplet id from a tool argument or a generic identifier; INVALID_ARGUMENT otherwise (nothing sent). */
export function parseDropletId(value: string | number): number {
  const text = String(value).trim();
  if (!DROPLET_ID.test(text)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      `"${text.slice(0, 40)}" is not a DigitalOcean droplet id (a positive integer such as 401234567).`,
      {
        hint: 'List the droplets with list_digitalocean_droplets to find the id.',
      },
    );
  }
  return Number(text);
}

/** `status` → running: active is running, off and archive are not, new is still being created. */
function runningOf(status: string): boolean | null {
  if (status === 'active') return true;
  if (status === 'off' || status === 'archive') return false;
  return null;
}

/** `env:production` → { env: 'production' }; a plain tag maps to ''. */
export function splitTags(tags: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) {
    const at = tag.indexOf(':');
    if (at > 0) out[tag.slice(0, at)] = tag.slice(at + 1);
    else out[tag] = '';
  }
  return out;
}

function addresses(droplet: Droplet, kind: 'public' | 'private'): string[] {
  const networks = [...(droplet.networks?.v4 ?? []), ...(droplet.networks?.v6 ?? [])];
  return networks
    .filter((n) => n.type === kind && typeof n.ip_address === 'string' && isIpAddress(n.ip_address))
    .map((n) => normalizeIp(n.ip_address));
}

/** The droplet as the provider-neutral summary; `reservedIps` are the reserved IPs known to point at it. */
export function summarizeDroplet(droplet: Droplet, reservedIps: readonly string[] = []): InstanceSummary {
  const publicIps = [...new Set([...addresses(droplet, 'public'), ...reservedIps.map((ip) => normalizeIp(ip))])];
  return {
    provider: 'digitalocean',
    id: String(droplet.id),
    name: droplet.name ?? '',
    state: droplet.status,
    running: runningOf(droplet.status),
    publicIps,
    privateIps: addresses(droplet, 'private'),
    region: droplet.region?.slug ?? null,
    type: droplet.size_slug ?? droplet.size?.slug ?? null,
    vcpus: typeof droplet.vcpus === 'number' ? droplet.vcpus : null,
    memoryMb: typeof droplet.memory === 'number' ? droplet.memory : null,
    tags: splitTags(droplet.tags),
    createdAt: droplet.created_at ?? null,
    locked: droplet.locked === true,
  };
}

/** Whether the droplet runs the metrics agent (memory, load and disk metrics need it). */
export const hasMonitoringAgent = (droplet: Droplet) => (droplet.features ?? []).includes('monitoring');

/** One droplet as the DigitalOcean tools show it. */
export const dropletViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.string().describe('new, active, off or archive'),
  running: z.boolean().nullable(),
  locked: z.boolean().describe('An action is in progress; power actions wait until it ends'),
  region: z.string().nullable(),
  regionName: z.string().nullable(),
  size: z.string().nullable(),
  vcpus: z.number().nullable(),
  memoryMb: z.number().nullable(),
  diskGb: z.number().nullable(),
  image: z.string().nullable(),
  publicIpv4: z.array(z.string()),
  publicIpv6: z.array(z.string()),
  privateIpv4: z.array(z.string()),
  reservedIps: z.array(z.string()).describe('Reserved IPs found pointing at the droplet (only when looked up by one)'),
  tags: z.array(z.string()),
  features: z.array(z.string()),
  monitoringAgent: z.boolean().describe('The metrics agent is installed (memory metrics available)'),
  vpcUuid: z.string().nullable(),
  volumeIds: z.array(z.string()),
  priceMonthly: z.number().nullable().describe('USD per month'),
  createdAt: z.string().nullable(),
});
export type DropletView = z.infer<typeof dropletViewSchema>;

export function dropletView(droplet: Droplet, reservedIps: readonly string[] = []): DropletView {
  const networks = droplet.networks ?? {};
  const pick = (list: typeof networks.v4, type: string) =>
    (list ?? []).filter((n) => n.type === type && isIpAddress(n.ip_address)).map((n) => normalizeIp(n.ip_address));
  const image = droplet.image ? [droplet.image.distribution, droplet.image.name].filter(Boolean).join(' ') : '';
  return {
    id: droplet.id,
    name: droplet.name ?? '',
    status: droplet.status,
    running: runningOf(droplet.status),
    locked: droplet.locked === true,
    region: droplet.region?.slug ?? null,
    regionName: droplet.region?.name ?? null,
    size: droplet.size_slug ?? droplet.size?.slug ?? null,
    vcpus: typeof droplet.vcpus === 'number' ? droplet.vcpus : null,
    memoryMb: typeof droplet.memory === 'number' ? droplet.memory : null,
    diskGb: typeof droplet.disk === 'number' ? droplet.disk : null,
    image: image || null,
    publicIpv4: pick(networks.v4, 'public'),
    publicIpv6: pick(networks.v6, 'public'),
    privateIpv4: pick(networks.v4, 'private'),
    reservedIps: reservedIps.map((ip) => normalizeIp(ip)),
    tags: droplet.tags ?? [],
    features: droplet.features ?? [],
    monitoringAgent: hasMonitoringAgent(droplet),
    vpcUuid: droplet.vpc_uuid ?? null,
    volumeIds: droplet.volume_ids ?? [],
    priceMonthly: typeof droplet.size?.price_monthly === 'number' ? droplet.size.price_monthly : null,
    createdAt: droplet.created_at ?? null,
  };
}

export interface DropletMatch {
  droplet: Droplet;
  matchedBy: 'public_ip' | 'reserved_ip';
  reservedIps: string[];
}

/**
 * The droplets that answer at `ip`: a reserved IP pointing at one (one cheap call), else every
 * droplet's public IPv4/IPv6 (all pages, GPU droplets included). A token without the
 * reserved_ip:read scope only skips the reserved-IP lookup.
 */
export async function findDropletsByIp(
  ctx: AnyContext,
  client: DigitalOceanClient,
  ip: string,
): Promise<DropletMatch[]> {
  const address = normalizeIp(ip);
  if (!address.includes(':')) {
    try {
      const reserved = await client.getReservedIp(address);
      if (reserved?.droplet) return [{ droplet: reserved.droplet, matchedBy: 'reserved_ip', reservedIps: [address] }];
    } catch (error) {
      if (!(error instanceof OpsError && error.code === 'PERMISSION_DENIED')) throw error;
      ctx.log.warn('DigitalOcean reserved IP lookup denied; matching droplet addresses only', {
        hint: 'grant the token reserved_ip:read',
      });
    }
  }
  const { items, truncated } = await client.listDroplets();
  if (truncated) ctx.log.warn('DigitalOcean droplet listing was cut at its paging bound while looking up an IP');
  return items
    .filter((droplet) => addresses(droplet, 'public').includes(address))
    .map((droplet) => ({ droplet, matchedBy: 'public_ip' as const, reservedIps: [] }));
}

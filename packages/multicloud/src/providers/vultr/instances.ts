import { OpsError, type ToolContext } from '@opsmcp/core';
import { z } from 'zod';
import type { VultrCredentials } from '../../credentials/vultr.js';
import { isIpAddress, normalizeIp } from '../../power/ip.js';
import { assertAvailable } from '../availability.js';
import type { InstanceSummary, ProviderModule } from '../types.js';
import { VultrClient, type VultrInstance } from './client.js';

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

interface VultrSettings {
  vultrApiUrl: string;
  requestTimeoutMs: number;
  maxRetries: number;
}

/** Vultr instance ids are UUIDs. */
export const VULTR_INSTANCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function vultrClient(ctx: AnyContext, module: ProviderModule): Promise<VultrClient> {
  assertAvailable(ctx, module);
  const settings = ctx.settings as VultrSettings;
  const { apiKey } = await ctx.credentials<VultrCredentials>('vultr');
  return new VultrClient({
    baseUrl: settings.vultrApiUrl,
    apiKey,
    timeoutMs: settings.requestTimeoutMs,
    maxRetries: settings.maxRetries,
    signal: ctx.signal,
  });
}

/** A Vultr instance id from an argument; INVALID_ARGUMENT otherwise (nothing sent). */
export function parseVultrId(value: string): string {
  const text = value.trim();
  if (!VULTR_INSTANCE_ID.test(text)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      `"${text.slice(0, 60)}" is not a Vultr instance id (a UUID such as cb676a46-66fd-4dfb-b839-443f2e6c0b60).`,
      { hint: 'List the instances with list_vultr_instances to find the id.' },
    );
  }
  return text.toLowerCase();
}

/** `2024-01-15T08:21:44+00:00` as ISO 8601 UTC; an unreadable date is passed on as it came. */
function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** An address Vultr reports, or undefined for the placeholders of instances without one. */
function address(value: string | undefined): string | undefined {
  if (!value || value === '0.0.0.0' || value === '::' || !isIpAddress(value)) return undefined;
  return normalizeIp(value);
}

/**
 * The power state comes from `power_status`; `status` is the subscription (active, pending,
 * suspended, resizing) and only an active subscription has a settled power state.
 */
function runningOf(instance: VultrInstance): boolean | null {
  if (instance.status !== 'active' || instance.server_status === 'installingbooting') return null;
  if (instance.power_status === 'running') return true;
  if (instance.power_status === 'stopped') return false;
  return null;
}

export function summarizeVultrInstance(instance: VultrInstance): InstanceSummary {
  const publicIps = [address(instance.main_ip), address(instance.v6_main_ip)].filter((ip): ip is string => !!ip);
  const privateIp = address(instance.internal_ip);
  const tags: Record<string, string> = {};
  for (const tag of instance.tags ?? []) {
    const at = tag.indexOf(':');
    if (at > 0) tags[tag.slice(0, at)] = tag.slice(at + 1);
    else tags[tag] = '';
  }
  return {
    provider: 'vultr',
    id: instance.id,
    name: instance.label ?? '',
    state: instance.power_status ?? instance.status,
    running: runningOf(instance),
    publicIps,
    privateIps: privateIp ? [privateIp] : [],
    region: instance.region ?? null,
    type: instance.plan ?? null,
    vcpus: typeof instance.vcpu_count === 'number' ? instance.vcpu_count : null,
    memoryMb: typeof instance.ram === 'number' ? instance.ram : null,
    tags,
    createdAt: isoDate(instance.date_created),
    locked: instance.server_status === 'locked' || instance.status === 'pending' || instance.status === 'resizing',
  };
}

/** One instance as the Vultr tools show it. */
export const vultrInstanceViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  hostname: z.string().nullable(),
  powerStatus: z.string().nullable().describe('running or stopped: the power state'),
  status: z.string().describe('Subscription state: active, pending, suspended or resizing (not the power state)'),
  serverStatus: z.string().nullable().describe('none, locked, installingbooting or ok'),
  running: z.boolean().nullable(),
  region: z.string().nullable(),
  plan: z.string().nullable(),
  vcpus: z.number().nullable(),
  ramMb: z.number().nullable(),
  diskGb: z.number().nullable(),
  os: z.string().nullable(),
  mainIp: z.string().nullable().describe('Public IPv4 (null for VPC-only instances)'),
  v6MainIp: z.string().nullable(),
  internalIp: z.string().nullable(),
  allowedBandwidthGb: z.number().nullable().describe('Monthly transfer allowance'),
  tags: z.array(z.string()),
  features: z.array(z.string()),
  createdAt: z.string().nullable(),
});
export type VultrInstanceView = z.infer<typeof vultrInstanceViewSchema>;

export function vultrInstanceView(instance: VultrInstance): VultrInstanceView {
  return {
    id: instance.id,
    label: instance.label ?? '',
    hostname: instance.hostname || null,
    powerStatus: instance.power_status ?? null,
    status: instance.status,
    serverStatus: instance.server_status ?? null,
    running: runningOf(instance),
    region: instance.region ?? null,
    plan: instance.plan ?? null,
    vcpus: typeof instance.vcpu_count === 'number' ? instance.vcpu_count : null,
    ramMb: typeof instance.ram === 'number' ? instance.ram : null,
    diskGb: typeof instance.disk === 'number' ? instance.disk : null,
    os: instance.os || null,
    mainIp: address(instance.main_ip) ?? null,
    v6MainIp: address(instance.v6_main_ip) ?? null,
    internalIp: address(instance.internal_ip) ?? null,
    allowedBandwidthGb: typeof instance.allowed_bandwidth === 'number' ? instance.allowed_bandwidth : null,
    tags: instance.tags ?? [],
    features: instance.features ?? [],
    createdAt: isoDate(instance.date_created),
  };
}

/**
 * Instances answering at `ip`: the API's `main_ip` filter for IPv4; for IPv6, which the API
 * cannot filter on, every instance's `v6_main_ip` (all pages).
 */
export async function findVultrByIp(ctx: AnyContext, client: VultrClient, ip: string): Promise<VultrInstance[]> {
  const wanted = normalizeIp(ip);
  if (!wanted.includes(':')) {
    const { items } = await client.listInstances({ main_ip: wanted });
    // The filter is the API's; the check keeps a lenient upstream from answering with others.
    return items.filter((i) => address(i.main_ip) === wanted);
  }
  const { items, truncated } = await client.listInstances();
  if (truncated) ctx.log.warn('Vultr instance listing was cut at its paging bound while looking up an IPv6 address');
  return items.filter((i) => address(i.v6_main_ip) === wanted);
}

import type { CredentialProvider, ToolContext } from '@opsmcp/core';

export type ProviderId = 'aws' | 'digitalocean' | 'vultr' | 'alibaba';
export type PowerAction = 'power_on' | 'power_off' | 'shutdown' | 'reboot';

/** One VM, the same shape for every provider (for detection, confirmation and safety checks). */
export interface InstanceSummary {
  provider: ProviderId;
  id: string;
  /** DO name, Vultr label, ECS InstanceName, AWS tag Name ('' when none). */
  name: string;
  /** The provider's own power state word (running, stopped, active, off, …). */
  state: string;
  /** Normalised: true running, false stopped/off, null transitional/unknown. */
  running: boolean | null;
  /** Every public v4/v6 incl. reserved IPs / EIPs, normalised (IPv6 compressed lower-case). */
  publicIps: string[];
  privateIps: string[];
  region: string | null;
  /** Size slug / plan / instance type. */
  type: string | null;
  vcpus: number | null;
  memoryMb: number | null;
  /** key:value tags split on the first ':'; plain tags map to ''. */
  tags: Record<string, string>;
  /** ISO 8601. */
  createdAt: string | null;
  /** The provider says an action is in progress. */
  locked?: boolean;
}

export interface PowerResult {
  /** Never "done": power calls are asynchronous everywhere. */
  status: 'submitted';
  provider: ProviderId;
  instanceId: string;
  action: PowerAction;
  /** DO action id; ECS RequestId; Vultr has none. */
  providerActionId: string | null;
  requestId: string | null;
  /** DO action object after waiting, when wait=true. */
  detail?: Record<string, unknown>;
}

/** What every provider folder exports: the generic tools dispatch through it. */
export interface ProviderModule {
  id: ProviderId;
  /** 'DigitalOcean' */
  title: string;
  // biome-ignore lint/suspicious/noExplicitAny: each cloud has its own credential shape
  credentials: CredentialProvider<any>;
  /** Instances whose public (or reserved/elastic) IP is `ip`, using the provider's own filters; [] when none. */
  // biome-ignore lint/suspicious/noExplicitAny: provider modules are shared by tools of every toolset
  findByIp(ctx: ToolContext<any, any>, ip: string): Promise<InstanceSummary[]>;
  /** RESOURCE_NOT_FOUND when absent. */
  // biome-ignore lint/suspicious/noExplicitAny: as above
  getInstance(ctx: ToolContext<any, any>, id: string, region?: string): Promise<InstanceSummary>;
  power?(
    // biome-ignore lint/suspicious/noExplicitAny: as above
    ctx: ToolContext<any, any>,
    id: string,
    action: PowerAction,
    options: { region?: string; wait?: boolean },
  ): Promise<PowerResult>;
}

import { z } from 'zod';
import { ackTool } from '../context.js';
import {
  ApiServerEndpoints,
  ClusterId,
  csForCluster,
  NodePoolRow,
  nodePoolRow,
  num,
  parseMasterUrl,
  rememberClusterRegion,
  str,
} from './common.js';

export const describeCluster = ackTool({
  name: 'describe_cluster',
  title: 'Describe an ACK cluster',
  description:
    'One cluster in detail: state, Kubernetes version (and the next available), type and spec, API server endpoints, ' +
    'network (VPC, vSwitches, pod and service CIDRs, proxy mode), deletion protection, tags, and a summary of its node pools.',
  access: 'read',
  input: z.object({ cluster_id: ClusterId }),
  output: z.object({
    cluster_id: z.string(),
    name: z.string().nullable(),
    region_id: z.string().nullable(),
    zone_id: z.string().nullable(),
    state: z.string().nullable(),
    cluster_type: z.string().nullable(),
    cluster_spec: z.string().nullable(),
    profile: z.string().nullable(),
    current_version: z.string().nullable(),
    next_version: z.string().nullable().describe('Version the cluster can be upgraded to, when any'),
    size: z.number().nullable(),
    created: z.string().nullable(),
    updated: z.string().nullable(),
    deletion_protection: z.boolean().nullable(),
    api_server_endpoints: ApiServerEndpoints,
    network: z.object({
      vpc_id: z.string().nullable(),
      vswitch_ids: z.array(z.string()),
      security_group_id: z.string().nullable(),
      network_mode: z.string().nullable(),
      proxy_mode: z.string().nullable(),
      ip_stack: z.string().nullable(),
      container_cidr: z.string().nullable(),
      service_cidr: z.string().nullable(),
      cluster_domain: z.string().nullable(),
    }),
    tags: z.array(z.object({ key: z.string(), value: z.string() })),
    nodepools: z.array(NodePoolRow),
    nodepool_summary: z.object({
      pools: z.number(),
      total_nodes: z.number(),
      healthy_nodes: z.number(),
      failed_nodes: z.number(),
      pools_not_active: z.array(z.string()).describe('Names (or ids) of pools whose state is not active'),
    }),
  }),
  async handler({ cluster_id }, ctx) {
    // The detail names the cluster's region; its node pools are read there.
    const detail = await (await ctx.clients.cs()).describeClusterDetail(cluster_id);
    await rememberClusterRegion(ctx, cluster_id, detail.region_id);
    const pools = await (await csForCluster(ctx, cluster_id)).describeClusterNodePools(cluster_id);
    const nodepools = (pools.nodepools ?? []).map(nodePoolRow);
    const sum = (pick: (p: NodePoolRow) => number | null) => nodepools.reduce((n, p) => n + (pick(p) ?? 0), 0);
    return {
      cluster_id: str(detail.cluster_id) ?? cluster_id,
      name: str(detail.name),
      region_id: str(detail.region_id),
      zone_id: str(detail.zone_id),
      state: str(detail.state),
      cluster_type: str(detail.cluster_type),
      cluster_spec: str(detail.cluster_spec),
      profile: str(detail.profile),
      current_version: str(detail.current_version),
      next_version: str(detail.next_version),
      size: num(detail.size),
      created: str(detail.created),
      updated: str(detail.updated),
      deletion_protection: typeof detail.deletion_protection === 'boolean' ? detail.deletion_protection : null,
      api_server_endpoints: parseMasterUrl(detail.master_url),
      network: {
        vpc_id: str(detail.vpc_id),
        vswitch_ids: Array.isArray(detail.vswitch_ids) ? detail.vswitch_ids.filter((v) => typeof v === 'string') : [],
        security_group_id: str(detail.security_group_id),
        network_mode: str(detail.network_mode),
        proxy_mode: str(detail.proxy_mode),
        ip_stack: str(detail.ip_stack),
        container_cidr: str(detail.container_cidr),
        service_cidr: str(detail.service_cidr),
        cluster_domain: str(detail.cluster_domain),
      },
      tags: (Array.isArray(detail.tags) ? detail.tags : [])
        .filter((t) => typeof t?.key === 'string')
        .map((t) => ({ key: t.key as string, value: typeof t.value === 'string' ? t.value : '' })),
      nodepools,
      nodepool_summary: {
        pools: nodepools.length,
        total_nodes: sum((p) => p.total_nodes),
        healthy_nodes: sum((p) => p.healthy_nodes),
        failed_nodes: sum((p) => p.failed_nodes),
        pools_not_active: nodepools
          .filter((p) => p.state !== null && p.state !== 'active')
          .map((p) => `${p.name ?? p.nodepool_id ?? '?'} (${p.state})`),
      },
    };
  },
});

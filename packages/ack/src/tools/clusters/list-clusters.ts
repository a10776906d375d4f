import { z } from 'zod';
import { REGION_PATTERN } from '../../settings.js';
import { ackTool } from '../context.js';
import { ApiServerEndpoints, num, parseMasterUrl, rememberClusterRegion, str } from './common.js';

const ClusterRow = z.object({
  cluster_id: z.string(),
  cluster_name: z.string().nullable(),
  region_id: z.string().nullable(),
  state: z.string().nullable().describe('running, initial, upgrading, scaling, failed, deleting …'),
  cluster_type: z.string().nullable(),
  cluster_spec: z.string().nullable(),
  current_version: z.string().nullable(),
  size: z.number().nullable().describe('Nodes in the cluster'),
  vpc_id: z.string().nullable(),
  created: z.string().nullable(),
  api_server_endpoints: ApiServerEndpoints,
});

export const listClusters = ackTool({
  name: 'list_clusters',
  title: 'List ACK clusters',
  description:
    'Lists the ACK clusters the credentials can see (every region unless region_id is given): id, name, region, state, ' +
    'type, Kubernetes version, size and API server endpoints. Use the cluster_id with the other tools.',
  access: 'read',
  input: z.object({
    page_size: z.number().int().min(1).max(500).default(10).describe('Clusters per page (1–500)'),
    page_num: z.number().int().min(1).max(100_000).default(1).describe('Page number, from 1'),
    region_id: z
      .string()
      .regex(REGION_PATTERN, 'a region id looks like cn-hangzhou')
      .optional()
      .describe('Only clusters in this region, e.g. cn-hangzhou'),
  }),
  output: z.object({
    clusters: z.array(ClusterRow),
    page_number: z.number(),
    page_size: z.number(),
    total_count: z.number().nullable(),
  }),
  async handler({ page_size, page_num, region_id }, ctx) {
    const api = await ctx.clients.cs();
    const answer = await api.describeClustersV1({ page_number: page_num, page_size, region_id });
    const clusters = (answer.clusters ?? [])
      .filter((c) => typeof c.cluster_id === 'string' && c.cluster_id !== '')
      .map((c) => ({
        cluster_id: c.cluster_id as string,
        cluster_name: str(c.name),
        region_id: str(c.region_id),
        state: str(c.state),
        cluster_type: str(c.cluster_type),
        cluster_spec: str(c.cluster_spec),
        current_version: str(c.current_version),
        size: num(c.size),
        vpc_id: str(c.vpc_id),
        created: str(c.created),
        api_server_endpoints: parseMasterUrl(c.master_url),
      }));
    await Promise.all(clusters.map((c) => rememberClusterRegion(ctx, c.cluster_id, c.region_id)));
    return {
      clusters,
      page_number: num(answer.page_info?.page_number) ?? page_num,
      page_size: num(answer.page_info?.page_size) ?? page_size,
      total_count: num(answer.page_info?.total_count),
    };
  },
});

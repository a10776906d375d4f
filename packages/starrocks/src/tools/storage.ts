import { z } from 'zod';
import {
  analyzeStorage,
  getDiskUsage,
  getLargeTables,
  getReplicaStatus,
  getTabletDistribution,
} from '../diagnostics/index.js';
import { starRocksTool } from './define.js';
import {
  architectureSchema,
  diagnosisSchema,
  formatAnalysis,
  formatView,
  issuesAndSources,
  limitSchema,
  n,
  s,
} from './schemas.js';

export const analyzeStorageHealth = starRocksTool({
  name: 'analyze_storage_health',
  title: 'Analyze storage health',
  description:
    'Full storage diagnosis of the StarRocks cluster: dead or stale nodes, disk usage (85/95/98 %), free space, non-data files on data disks, unhealthy/error/inconsistent replicas, data and tablet skew, large partitions, and on shared-data clusters the data cache and object-storage amplification. Returns a 0–100 health score, level and issues with evidence and recommendations.',
  access: 'read',
  input: z.object({}),
  output: diagnosisSchema,
  format: formatAnalysis,
  handler: (_args, ctx) => analyzeStorage(ctx.clients.executor(), ctx.signal),
});

/** Capacity of one BE or CN (get_disk_usage). */
export const nodeUsageSchema = z.object({
  node_id: z.string(),
  host: z.string(),
  kind: z.enum(['backend', 'compute_node']),
  alive: z.boolean(),
  decommissioned: z.boolean(),
  total_bytes: n,
  avail_bytes: n,
  data_used_bytes: n,
  other_used_bytes: n,
  used_pct: n,
  max_disk_used_pct: n,
});

/** One data disk of a shared-nothing BE (SHOW PROC '/backends/<id>'). */
export const diskRowSchema = z.object({
  node_id: z.string(),
  root_path: z.string(),
  state: s,
  medium: s,
  total_bytes: n,
  avail_bytes: n,
  data_used_bytes: n,
  other_used_bytes: n,
  used_pct: n,
  tablets: n,
});

export const diskUsageSchema = z.object({
  architecture: architectureSchema,
  nodes: z.array(nodeUsageSchema),
  disks: z.array(diskRowSchema),
  datacache: z.array(z.record(z.string(), z.unknown())),
  totals: z.object({
    total_bytes: z.number(),
    avail_bytes: z.number(),
    data_used_bytes: z.number(),
    max_disk_used_pct: z.number(),
  }),
  ...issuesAndSources,
});

export const getDiskUsageTool = starRocksTool({
  name: 'get_disk_usage',
  title: 'Get disk usage',
  description:
    'Disk usage per node and per data disk (total, available, StarRocks data, other files, used %), cluster totals, and the disk rules that fire. On shared-data clusters: compute nodes and their data cache usage.',
  access: 'read',
  input: z.object({}),
  output: diskUsageSchema,
  format: (o) => formatView('StarRocks disk usage', o),
  handler: (_args, ctx) => getDiskUsage(ctx.clients.executor(), ctx.signal),
});

/** Tablets and data of one node, with its deviation from the mean of the active nodes. */
export const tabletNodeSchema = z.object({
  node_id: z.string(),
  host: z.string(),
  kind: z.enum(['backend', 'compute_node']),
  alive: z.boolean(),
  decommissioned: z.boolean(),
  tablets: n,
  data_used_bytes: n,
  replicas_reported: n,
  data_bytes_reported: n,
  deviation_pct: n,
});

export const tabletDistributionSchema = z.object({
  architecture: architectureSchema,
  nodes: z.array(tabletNodeSchema),
  mean_tablets_per_active_node: z.number(),
  balance: z.record(z.string(), n),
  ...issuesAndSources,
});

export const getTabletDistributionTool = starRocksTool({
  name: 'get_tablet_distribution',
  title: 'Get tablet distribution',
  description:
    'Tablets and data per node with the deviation from the mean of alive nodes, partitions spread unevenly across backends, balancer state, and the skew rules that fire.',
  access: 'read',
  input: z.object({}),
  output: tabletDistributionSchema,
  format: (o) => formatView('StarRocks tablet distribution', o),
  handler: (_args, ctx) => getTabletDistribution(ctx.clients.executor(), ctx.signal),
});

const counters = {
  tablets: z.number(),
  replicas: z.number(),
  unhealthy: z.number(),
  inconsistent: z.number(),
  cloning: z.number(),
  error_state: z.number(),
};
/** Tablet counters of SHOW PROC '/statistic' (cluster total or one database). */
export const replicaCountersSchema = z.object(counters);
export const databaseReplicaCountersSchema = z.object({ db_id: z.string(), db_name: z.string(), ...counters });
const idList = z.object({ ids: z.array(z.string()), truncated: z.boolean() }).nullable();
export const databaseReplicasSchema = databaseReplicaCountersSchema.extend({
  unhealthy_tablet_ids: idList,
  cloning_tablet_ids: idList,
  error_state_tablet_ids: idList,
});
export const tabletScheduleSchema = z.object({
  tablet_id: z.string(),
  type: s,
  state: s,
  tablet_status: s,
  priority: s,
  msg: s,
});

export const replicaStatusSchema = z.object({
  architecture: architectureSchema,
  status: z.enum(['HEALTHY', 'WARNING', 'CRITICAL', 'NOT_APPLICABLE']),
  note: s,
  total: replicaCountersSchema.nullable(),
  databases: z.array(databaseReplicasSchema),
  repair: z.record(z.string(), n),
  schedules: z.array(tabletScheduleSchema),
  ...issuesAndSources,
});

export const getReplicaStatusTool = starRocksTool({
  name: 'get_replica_status',
  title: 'Get replica status',
  description:
    'Replica health of a shared-nothing cluster: unhealthy, inconsistent, cloning and error-state tablets per database with their tablet ids (up to 100 each), repair progress and scheduled repairs, linked to dead nodes. Shared-data clusters answer NOT_APPLICABLE (one copy in object storage).',
  access: 'read',
  input: z.object({}),
  output: replicaStatusSchema,
  format: (o) => formatView(`StarRocks replica status: ${o.status}`, o),
  handler: (_args, ctx) => getReplicaStatus(ctx.clients.executor(), ctx.signal),
});

/** One of the largest tables, with partition and bucket counts for the biggest ones. */
export const largeTableSchema = z.object({
  database: z.string(),
  table: z.string(),
  engine: s,
  rows: n,
  data_bytes: n,
  data_gib: n,
  update_time: s,
  partitions: n,
  buckets: n.describe('Sum of BUCKETS over the partitions: tablets per index'),
  replication_num: n,
  avg_tablet_bytes: n,
  storage_bytes: n.describe('Object-storage size (shared-data only)'),
});

export const largeTablesSchema = z.object({
  architecture: architectureSchema,
  items: z.array(largeTableSchema),
  count: z.number().int(),
  truncated: z.boolean(),
  enriched: z.number().int().describe('How many of the biggest tables carry partition and bucket counts'),
  ...issuesAndSources,
});

export const getLargeTablesTool = starRocksTool({
  name: 'get_large_tables',
  title: 'Get large tables',
  description:
    'The largest tables by data size (information_schema.tables), biggest first; the top 20 also get their partition count, bucket count (tablets per index), replication and average tablet size from partitions_meta (shared-data: object-storage size).',
  access: 'read',
  input: z.object({ limit: limitSchema(20, 200) }),
  output: largeTablesSchema,
  format: (o) => formatView('StarRocks largest tables', o),
  handler: (args, ctx) => getLargeTables(ctx.clients.executor(), args.limit, ctx.signal),
});

export const storageTools = [
  analyzeStorageHealth,
  getDiskUsageTool,
  getTabletDistributionTool,
  getReplicaStatusTool,
  getLargeTablesTool,
];

import type { z } from 'zod';
import type { Row } from '../../executor.js';
import type {
  databaseReplicaCountersSchema,
  databaseReplicasSchema,
  diskRowSchema,
  diskUsageSchema,
  largeTableSchema,
  largeTablesSchema,
  nodeUsageSchema,
  replicaCountersSchema,
  replicaStatusSchema,
  tabletDistributionSchema,
  tabletNodeSchema,
  tabletScheduleSchema,
} from '../../tools/storage.js';
import { bool, bytes, num, percent, round, text } from '../parse.js';

export type NodeUsage = z.infer<typeof nodeUsageSchema>;
export type DiskRow = z.infer<typeof diskRowSchema>;
export type DiskUsage = z.infer<typeof diskUsageSchema>;
export type TabletNode = z.infer<typeof tabletNodeSchema>;
export type TabletDistribution = z.infer<typeof tabletDistributionSchema>;
export type ReplicaCounters = z.infer<typeof replicaCountersSchema>;
export type DatabaseReplicaCounters = z.infer<typeof databaseReplicaCountersSchema>;
export type DatabaseReplicas = z.infer<typeof databaseReplicasSchema>;
export type TabletSchedule = z.infer<typeof tabletScheduleSchema>;
export type ReplicaStatus = z.infer<typeof replicaStatusSchema>;
export type LargeTable = z.infer<typeof largeTableSchema>;
export type LargeTables = z.infer<typeof largeTablesSchema>;

/** A BE or CN as SHOW BACKENDS / SHOW COMPUTE NODES describe it. */
export interface NodeInfo {
  id: string;
  host: string;
  kind: 'backend' | 'compute_node';
  alive: boolean;
  decommissioned: boolean;
  last_heartbeat: string | null;
  tablets: number | null;
  data_used_bytes: number | null;
  avail_bytes: number | null;
  total_bytes: number | null;
  /** total − avail − data: logs, trash, other software on the data disks. */
  other_used_bytes: number | null;
  used_pct: number | null;
  max_disk_used_pct: number | null;
  mem_used_pct: number | null;
  cpu_cores: number | null;
  version: string | null;
  err_msg: string | null;
}

export function parseNode(row: Row, kind: NodeInfo['kind']): NodeInfo {
  const total = bytes(row.TotalCapacity) ?? null;
  const avail = bytes(row.AvailCapacity) ?? null;
  const data = bytes(row.DataUsedCapacity) ?? null;
  return {
    id: String(row.BackendId ?? row.ComputeNodeId ?? ''),
    host: String(row.IP ?? row.Host ?? ''),
    kind,
    alive: bool(row.Alive),
    decommissioned: bool(row.SystemDecommissioned),
    last_heartbeat: text(row.LastHeartbeat) ?? null,
    tablets: num(row.TabletNum) ?? null,
    data_used_bytes: data,
    avail_bytes: avail,
    total_bytes: total,
    other_used_bytes: total !== null && avail !== null && data !== null ? Math.max(0, total - avail - data) : null,
    used_pct: percent(row.UsedPct) ?? null,
    max_disk_used_pct: percent(row.MaxDiskUsedPct) ?? null,
    mem_used_pct: percent(row.MemUsedPct) ?? null,
    cpu_cores: num(row.CpuCores) ?? null,
    version: text(row.Version) ?? null,
    err_msg: text(row.ErrMsg) ?? null,
  };
}

export const nodeLabel = (n: NodeInfo) => `${n.kind === 'backend' ? 'BE' : 'CN'} ${n.id} (${n.host})`;

export const nodeUsage = (n: NodeInfo): NodeUsage => ({
  node_id: n.id,
  host: n.host,
  kind: n.kind,
  alive: n.alive,
  decommissioned: n.decommissioned,
  total_bytes: n.total_bytes,
  avail_bytes: n.avail_bytes,
  data_used_bytes: n.data_used_bytes,
  other_used_bytes: n.other_used_bytes,
  used_pct: n.used_pct,
  max_disk_used_pct: n.max_disk_used_pct,
});

/** One row of SHOW PROC '/backends/<id>' as a disk of that backend. */
export const parseDisk = (nodeId: string, r: Row): DiskRow => ({
  node_id: nodeId,
  root_path: String(r.RootPath ?? ''),
  state: text(r.State) ?? null,
  medium: text(r.StorageMedium) ?? null,
  total_bytes: bytes(r.TotalCapacity) ?? null,
  avail_bytes: bytes(r.AvailCapacity) ?? null,
  data_used_bytes: bytes(r.DataUsedCapacity) ?? null,
  other_used_bytes: bytes(r.OtherUsedCapacity) ?? null,
  used_pct: percent(r.TotalUsedPct) ?? null,
  tablets: num(r.TabletNum) ?? null,
});

/** Capacity totals over the backends (compute nodes hold no data). */
export function backendTotals(nodes: readonly NodeInfo[]): DiskUsage['totals'] {
  const backends = nodes.filter((n) => n.kind === 'backend');
  const sum = (f: (n: NodeInfo) => number | null) => backends.reduce((a, n) => a + (f(n) ?? 0), 0);
  return {
    total_bytes: sum((n) => n.total_bytes),
    avail_bytes: sum((n) => n.avail_bytes),
    data_used_bytes: sum((n) => n.data_used_bytes),
    max_disk_used_pct: Math.max(0, ...backends.map((n) => n.max_disk_used_pct ?? 0)),
  };
}

export const datacacheRow = (r: Row): Record<string, unknown> => ({
  node_id: String(r.BE_ID),
  status: text(r.STATUS) ?? null,
  disk_quota_bytes: num(r.DISK_QUOTA_BYTES) ?? null,
  disk_used_bytes: num(r.DISK_USED_BYTES) ?? null,
  mem_quota_bytes: num(r.MEM_QUOTA_BYTES) ?? null,
  mem_used_bytes: num(r.MEM_USED_BYTES) ?? null,
});

/** Data cache disk usage per CN. */
export interface CacheUsage {
  node_id: string;
  status: string;
  used_pct: number | null;
}

export const cacheUsage = (r: Row): CacheUsage => {
  const quota = num(r.DISK_QUOTA_BYTES) ?? 0;
  return {
    node_id: String(r.BE_ID),
    status: text(r.STATUS) ?? 'unknown',
    used_pct: quota ? round(((num(r.DISK_USED_BYTES) ?? 0) / quota) * 100, 1) : null,
  };
};

/** A partition's size (shared-nothing partitions_meta DATA_SIZE). */
export interface PartitionSize {
  partition: string;
  bytes: number;
}

export const partitionSize = (r: Row): PartitionSize => ({
  partition: `${r.DB_NAME}.${r.TABLE_NAME}.${r.PARTITION_NAME}`,
  bytes: bytes(r.DATA_SIZE) ?? 0,
});

/** A shared-data partition's object-storage size against its data size. */
export interface StorageRatio {
  partition: string;
  data: number;
  stored: number;
  ratio: number;
}

export const storageRatios = (rows: readonly Row[]): StorageRatio[] =>
  rows
    .map((r) => ({
      partition: `${r.DB_NAME}.${r.TABLE_NAME}.${r.PARTITION_NAME}`,
      data: bytes(r.DATA_SIZE) ?? 0,
      stored: num(r.STORAGE_SIZE) ?? 0,
    }))
    .filter((p) => p.data > 0)
    .map((p) => ({ ...p, ratio: round(p.stored / p.data) }));

export function parseStatistic(rows: readonly Row[]): {
  total: ReplicaCounters | null;
  databases: DatabaseReplicaCounters[];
} {
  const counters = (r: Row): ReplicaCounters => ({
    tablets: num(r.TabletNum) ?? 0,
    replicas: num(r.ReplicaNum) ?? 0,
    unhealthy: num(r.UnhealthyTabletNum) ?? 0,
    inconsistent: num(r.InconsistentTabletNum) ?? 0,
    cloning: num(r.CloningTabletNum) ?? 0,
    error_state: num(r.ErrorStateTabletNum) ?? 0,
  });
  const totalRow = rows.find((r) => r.DbId === 'Total');
  return {
    total: totalRow ? counters(totalRow) : null,
    databases: rows
      .filter((r) => r.DbId !== 'Total')
      .map((r) => ({ db_id: String(r.DbId), db_name: String(r.DbName), ...counters(r) })),
  };
}

/** Tablet ids listed per database: at most this many per list. */
const MAX_TABLET_IDS = 100;

const tabletIds = (value: unknown) => {
  const all = String(value ?? '')
    .replace(/[[\]\s]/g, '')
    .split(',')
    .filter(Boolean);
  return { ids: all.slice(0, MAX_TABLET_IDS), truncated: all.length > MAX_TABLET_IDS };
};

/** A database's counters with the tablet ids of SHOW PROC '/statistic/<DbId>' (when read). */
export const databaseReplicas = (d: DatabaseReplicaCounters, detail: Row | undefined): DatabaseReplicas => ({
  ...d,
  unhealthy_tablet_ids: detail ? tabletIds(detail.UnhealthyTablets) : null,
  cloning_tablet_ids: detail ? tabletIds(detail.CloningTablets) : null,
  error_state_tablet_ids: detail ? tabletIds(detail.ErrorStateTablets) : null,
});

export const tabletSchedule = (r: Row): TabletSchedule => ({
  tablet_id: String(r.TABLET_ID),
  type: text(r.TYPE) ?? null,
  state: text(r.STATE) ?? null,
  tablet_status: text(r.TABLET_STATUS) ?? null,
  priority: text(r.PRIORITY) ?? null,
  msg: text(r.MSG) ?? null,
});

/** SHOW PROC '/cluster_balance' as item -> number. */
export const balanceItems = (rows: readonly Row[]) =>
  Object.fromEntries(rows.map((r) => [String(r.Item), num(r.Number) ?? null]));

/** Each node's tablets with the replicas be_tablets reports for it and its deviation from the mean of the active nodes. */
export function tabletNodes(
  nodes: readonly NodeInfo[],
  perBackend: readonly Row[],
): { items: TabletNode[]; mean: number } {
  const replicas = new Map(perBackend.map((r) => [String(r.BE_ID), r]));
  const active = nodes.filter((n) => n.alive && !n.decommissioned);
  const mean = active.length ? active.reduce((a, n) => a + (n.tablets ?? 0), 0) / active.length : 0;
  const items = nodes.map((n) => {
    const r = replicas.get(n.id);
    return {
      node_id: n.id,
      host: n.host,
      kind: n.kind,
      alive: n.alive,
      decommissioned: n.decommissioned,
      tablets: n.tablets,
      data_used_bytes: n.data_used_bytes,
      replicas_reported: r ? (num(r.replicas) ?? null) : null,
      data_bytes_reported: r ? (num(r.data_bytes) ?? null) : null,
      deviation_pct:
        n.alive && !n.decommissioned && mean > 0 && n.tablets !== null
          ? round(((n.tablets - mean) / mean) * 100)
          : null,
    };
  });
  return { items, mean };
}

/** A row of information_schema.tables, before the partitions_meta enrichment. */
export const largeTable = (r: Row) => ({
  database: String(r.TABLE_SCHEMA),
  table: String(r.TABLE_NAME),
  engine: text(r.ENGINE) ?? null,
  rows: num(r.TABLE_ROWS) ?? null,
  data_bytes: num(r.DATA_LENGTH) ?? null,
  data_gib: num(r.DATA_LENGTH) !== undefined ? round((num(r.DATA_LENGTH) ?? 0) / 1024 ** 3, 2) : null,
  update_time: text(r.UPDATE_TIME) ?? null,
});

/** A large table with its partition, bucket and replication counts (null where partitions_meta was not read). */
export function enrichedTable(t: ReturnType<typeof largeTable>, layout: Row | undefined): LargeTable {
  const buckets = num(layout?.buckets) ?? null;
  return {
    ...t,
    partitions: num(layout?.partitions) ?? null,
    buckets,
    replication_num: num(layout?.replication_num) ?? null,
    avg_tablet_bytes: buckets && t.data_bytes !== null ? Math.round(t.data_bytes / buckets) : null,
    storage_bytes: num(layout?.storage_bytes) ?? null,
  };
}

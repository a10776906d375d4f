import type { StatementExecutor } from '../executor.js';
import { clusterInfo } from './architecture.js';
import { readClock } from './common.js';
import { diskIssues, type NodeInfo, nodeIssues, skewIssues } from './nodes.js';
import { bytes, num, percent, round, text } from './parse.js';
import { statusOf } from './score.js';
import { SQL } from './sql.js';
import { parseStatistic, readNodes, replicaCountIssues, replicaIssues } from './storage.js';
import { type Architecture, type Issue, Probe, type SourceRecord } from './types.js';

interface View {
  architecture: Architecture;
  issues: Issue[];
  sources: SourceRecord[];
}

export interface DiskRow {
  node_id: string;
  root_path: string;
  state: string | null;
  medium: string | null;
  total_bytes: number | null;
  avail_bytes: number | null;
  data_used_bytes: number | null;
  other_used_bytes: number | null;
  used_pct: number | null;
  tablets: number | null;
}

export async function getDiskUsage(executor: StatementExecutor, signal?: AbortSignal) {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  const nodes = await readNodes(probe, info);
  const disks: DiskRow[] = [];
  // Per-disk detail only exists for shared-nothing BEs that answer.
  const alive = nodes.filter((n) => n.kind === 'backend' && n.alive);
  const perNode = await Promise.all(alive.map((n) => probe.optional(SQL.backendDisks(n.id), `Disks of BE ${n.id}`)));
  alive.forEach((n, i) => {
    for (const r of perNode[i] ?? []) {
      disks.push({
        node_id: n.id,
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
    }
  });
  const issues = diskIssues(nodes);
  for (const d of disks.filter((x) => x.state && x.state !== 'ONLINE')) {
    issues.push({
      id: 'STG-DISK-OFFLINE',
      severity: 'warning',
      message: `Disk ${d.root_path} on BE ${d.node_id} is ${d.state}`,
      evidence: { ...d },
      recommendation: 'Check the mount and the disk; tablets on it are being repaired elsewhere.',
    });
  }
  let cache: Record<string, unknown>[] = [];
  if (info.architecture === 'shared_data') {
    const rows = await probe.optional(SQL.datacache, 'Data cache');
    cache = (rows ?? []).map((r) => ({
      node_id: String(r.BE_ID),
      status: text(r.STATUS) ?? null,
      disk_quota_bytes: num(r.DISK_QUOTA_BYTES) ?? null,
      disk_used_bytes: num(r.DISK_USED_BYTES) ?? null,
      mem_quota_bytes: num(r.MEM_QUOTA_BYTES) ?? null,
      mem_used_bytes: num(r.MEM_USED_BYTES) ?? null,
    }));
  }
  const backends = nodes.filter((n) => n.kind === 'backend');
  const sum = (f: (n: NodeInfo) => number | null) => backends.reduce((a, n) => a + (f(n) ?? 0), 0);
  return {
    architecture: info.architecture,
    nodes: nodes.map(nodeUsage),
    disks,
    datacache: cache,
    totals: {
      total_bytes: sum((n) => n.total_bytes),
      avail_bytes: sum((n) => n.avail_bytes),
      data_used_bytes: sum((n) => n.data_used_bytes),
      max_disk_used_pct: Math.max(0, ...backends.map((n) => n.max_disk_used_pct ?? 0)),
    },
    issues: [...issues, ...probe.degraded],
    sources: probe.sources,
  } satisfies View & Record<string, unknown>;
}

const nodeUsage = (n: NodeInfo) => ({
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

export async function getTabletDistribution(executor: StatementExecutor, signal?: AbortSignal) {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  const sharedData = info.architecture === 'shared_data';
  const [nodes, perBackend, spread, balance] = await Promise.all([
    readNodes(probe, info),
    sharedData ? undefined : probe.optional(SQL.tabletsByBackend, 'Tablets per backend'),
    sharedData ? undefined : probe.optional(SQL.partitionSpread, 'Partition spread'),
    sharedData ? undefined : probe.optional(SQL.clusterBalance, 'Cluster balance'),
  ]);
  const replicas = new Map((perBackend ?? []).map((r) => [String(r.BE_ID), r]));
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
  const issues = skewIssues(nodes);
  if (spread?.length) {
    issues.push({
      id: 'DIST-PARTITION-SKEW',
      severity: 'info',
      message: `${spread.length} partitions have replicas spread unevenly across backends (max − min > 5)`,
      evidence: {
        partitions: spread.slice(0, 20).map((r) => ({ partition_id: String(r.PARTITION_ID), spread: num(r.spread) })),
      },
      recommendation: 'Uneven scans; usually fixed by the balancer over time.',
    });
  }
  return {
    architecture: info.architecture,
    nodes: items,
    mean_tablets_per_active_node: round(mean, 1),
    balance: Object.fromEntries((balance ?? []).map((r) => [String(r.Item), num(r.Number) ?? null])),
    issues: [...issues, ...probe.degraded],
    sources: probe.sources,
  };
}

const MAX_TABLET_IDS = 100;

export async function getReplicaStatus(executor: StatementExecutor, signal?: AbortSignal) {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  if (info.architecture === 'shared_data') {
    return {
      architecture: info.architecture,
      status: 'NOT_APPLICABLE' as const,
      note: 'Shared-data clusters keep one copy of each tablet in object storage; there are no replicas to repair.',
      total: null,
      databases: [],
      repair: {},
      schedules: [],
      issues: [],
      sources: probe.sources,
    };
  }
  const [clock, nodes, statistic, balance, schedules, lagging, shortfall] = await Promise.all([
    readClock(probe),
    readNodes(probe, info),
    probe.query(SQL.statistic),
    probe.optional(SQL.clusterBalance, 'Cluster balance'),
    probe.optional(SQL.tabletSchedules, 'Tablet schedules'),
    probe.optional(SQL.replicaVersionLag, 'Replica versions'),
    probe.optional(SQL.missingReplicas, 'Replica counts per partition'),
  ]);
  const { total, databases } = parseStatistic(statistic);
  const troubled = databases.filter((d) => d.unhealthy + d.inconsistent + d.cloning + d.error_state > 0);
  const details = await Promise.all(
    troubled.map((d) => probe.optional(SQL.statisticOfDb(d.db_id), `Tablet ids of ${d.db_name}`)),
  );
  const ids = (value: unknown) => {
    const all = String(value ?? '')
      .replace(/[[\]\s]/g, '')
      .split(',')
      .filter(Boolean);
    return { ids: all.slice(0, MAX_TABLET_IDS), truncated: all.length > MAX_TABLET_IDS };
  };
  const dbs = databases.map((d) => {
    const detail = details[troubled.indexOf(d)]?.[0];
    return {
      ...d,
      unhealthy_tablet_ids: detail ? ids(detail.UnhealthyTablets) : null,
      cloning_tablet_ids: detail ? ids(detail.CloningTablets) : null,
      error_state_tablet_ids: detail ? ids(detail.ErrorStateTablets) : null,
    };
  });
  const repair = Object.fromEntries((balance ?? []).map((r) => [String(r.Item), num(r.Number) ?? null]));
  const dead = nodeIssues(nodes, clock.nowMs).filter((i) => i.id === 'NODE-DEAD');
  const issues = [
    ...(total ? replicaIssues(total, databases, dead.length > 0, repair.pending_tablets ?? undefined) : []),
    ...replicaCountIssues(lagging ?? [], shortfall ?? []),
    ...dead,
  ];
  const status = statusOf(issues);
  return {
    architecture: info.architecture,
    status,
    note: dead.length
      ? `Unhealthy tablets are expected while ${dead.length} node(s) are dead; single-replica tablets on them cannot be repaired until they return.`
      : null,
    total,
    databases: dbs,
    repair,
    schedules: (schedules ?? []).map((r) => ({
      tablet_id: String(r.TABLET_ID),
      type: text(r.TYPE) ?? null,
      state: text(r.STATE) ?? null,
      tablet_status: text(r.TABLET_STATUS) ?? null,
      priority: text(r.PRIORITY) ?? null,
      msg: text(r.MSG) ?? null,
    })),
    issues: [...issues, ...probe.degraded],
    sources: probe.sources,
  };
}

/** Tables enriched with partitions_meta counts: the biggest ones, in one statement. */
const ENRICHED_TABLES = 20;

export async function getLargeTables(executor: StatementExecutor, limit: number, signal?: AbortSignal) {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  const sharedData = info.architecture === 'shared_data';
  const rows = await probe.query(SQL.largeTables(limit + 1));
  const tables = rows.slice(0, limit).map((r) => ({
    database: String(r.TABLE_SCHEMA),
    table: String(r.TABLE_NAME),
    engine: text(r.ENGINE) ?? null,
    rows: num(r.TABLE_ROWS) ?? null,
    data_bytes: num(r.DATA_LENGTH) ?? null,
    data_gib: num(r.DATA_LENGTH) !== undefined ? round((num(r.DATA_LENGTH) ?? 0) / 1024 ** 3, 2) : null,
    update_time: text(r.UPDATE_TIME) ?? null,
  }));
  const top = tables.slice(0, ENRICHED_TABLES);
  const layout = top.length
    ? ((await probe.optional(SQL.tablePartitions(top, sharedData), 'Partitions and buckets per table')) ?? [])
    : [];
  const byName = new Map(layout.map((r) => [`${r.DB_NAME}.${r.TABLE_NAME}`, r]));
  return {
    architecture: info.architecture,
    items: tables.map((t) => {
      const r = byName.get(`${t.database}.${t.table}`);
      const buckets = num(r?.buckets) ?? null;
      return {
        ...t,
        partitions: num(r?.partitions) ?? null,
        buckets,
        replication_num: num(r?.replication_num) ?? null,
        avg_tablet_bytes: buckets && t.data_bytes !== null ? Math.round(t.data_bytes / buckets) : null,
        storage_bytes: num(r?.storage_bytes) ?? null,
      };
    }),
    count: tables.length,
    truncated: rows.length > limit,
    enriched: top.length,
    issues: probe.degraded,
    sources: probe.sources,
  };
}

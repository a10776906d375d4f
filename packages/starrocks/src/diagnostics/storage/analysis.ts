import type { StatementExecutor } from '../../executor.js';
import { type ClusterInfo, clusterInfo } from '../architecture.js';
import { buildDiagnosis, readClock } from '../common.js';
import { num, round } from '../parse.js';
import { statusOf } from '../score.js';
import { SQL } from '../sql.js';
import { type Diagnosis, type Issue, Probe } from '../types.js';
import {
  amplificationIssues,
  cacheIssues,
  diskIssues,
  diskStateIssues,
  largePartitionIssues,
  nodeIssues,
  partitionSkewIssues,
  replicaCountIssues,
  replicaIssues,
  STORAGE_RULE_IDS,
  skewIssues,
  totalTabletIssues,
} from './rules.js';
import {
  backendTotals,
  balanceItems,
  cacheUsage,
  type DiskRow,
  type DiskUsage,
  databaseReplicas,
  datacacheRow,
  enrichedTable,
  type LargeTables,
  largeTable,
  type NodeInfo,
  nodeUsage,
  parseDisk,
  parseNode,
  parseStatistic,
  partitionSize,
  type ReplicaStatus,
  storageRatios,
  type TabletDistribution,
  tabletNodes,
  tabletSchedule,
} from './views.js';

/** BEs (and CNs) for the architecture: shared-data data nodes are CNs, BEs may be absent. */
export async function readNodes(probe: Probe, info: ClusterInfo): Promise<NodeInfo[]> {
  const [backends, computeNodes] = await Promise.all([
    probe.optional(SQL.backends, 'Backends'),
    info.architecture === 'shared_data' || info.computeNodes > 0
      ? probe.optional(SQL.computeNodes, 'Compute nodes')
      : Promise.resolve([]),
  ]);
  return [
    ...(backends ?? []).map((r) => parseNode(r, 'backend')),
    ...(computeNodes ?? []).map((r) => parseNode(r, 'compute_node')),
  ];
}

export async function analyzeStorage(executor: StatementExecutor, signal?: AbortSignal): Promise<Diagnosis> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  const sharedData = info.architecture === 'shared_data';
  const [clock, nodes, statistic, tablets, partitions, datacache, storage] = await Promise.all([
    readClock(probe),
    readNodes(probe, info),
    sharedData ? undefined : probe.optional(SQL.statistic, 'Replica statistics'),
    sharedData ? undefined : probe.optional(SQL.tabletsByBackend, 'Tablets per backend'),
    sharedData ? undefined : probe.optional(SQL.largestPartitions, 'Largest partitions'),
    sharedData ? probe.optional(SQL.datacache, 'Data cache') : undefined,
    sharedData ? probe.optional(SQL.partitionStorage, 'Object storage size') : undefined,
  ]);
  const totalTablets = nodes.reduce((a, n) => a + (n.tablets ?? 0), 0);
  const issues: Issue[] = [
    ...nodeIssues(nodes, clock.nowMs),
    ...diskIssues(nodes),
    ...skewIssues(nodes),
    ...totalTabletIssues(totalTablets),
  ];
  const metrics: Record<string, unknown> = {
    nodes_total: nodes.length,
    nodes_alive: nodes.filter((n) => n.alive).length,
    backends: nodes.filter((n) => n.kind === 'backend').length,
    compute_nodes: nodes.filter((n) => n.kind === 'compute_node').length,
  };
  const withDisk = nodes.filter((n) => n.kind === 'backend' && n.max_disk_used_pct !== null);
  const fullest = withDisk.sort((a, b) => (b.max_disk_used_pct ?? 0) - (a.max_disk_used_pct ?? 0))[0];
  if (fullest) {
    metrics.max_disk_used_pct = fullest.max_disk_used_pct;
    metrics.max_disk_used_node = fullest.id;
  }
  metrics.total_tablets = totalTablets;
  const { total, databases } = parseStatistic(statistic ?? []);
  if (total) {
    metrics.unhealthy_tablets = total.unhealthy;
    metrics.cloning_tablets = total.cloning;
    metrics.error_state_tablets = total.error_state;
    issues.push(
      ...replicaIssues(
        total,
        databases,
        nodes.some((n) => !n.alive),
      ),
    );
  }
  if (tablets) metrics.max_rowsets_per_tablet = Math.max(0, ...tablets.map((r) => num(r.max_rowsets) ?? 0));
  if (partitions) issues.push(...largePartitionIssues(partitions.map(partitionSize)));
  if (datacache) {
    const usage = datacache.map(cacheUsage);
    metrics.cache_max_used_pct = Math.max(0, ...usage.map((u) => u.used_pct ?? 0));
    issues.push(...cacheIssues(usage));
  }
  if (storage) {
    const ratios = storageRatios(storage);
    metrics.max_storage_amplification = Math.max(0, ...ratios.map((p) => p.ratio));
    issues.push(...amplificationIssues(ratios));
  }
  return buildDiagnosis('analyze_storage_health', 'storage', info, probe, issues, metrics);
}

export async function getDiskUsage(executor: StatementExecutor, signal?: AbortSignal): Promise<DiskUsage> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  const nodes = await readNodes(probe, info);
  // Per-disk detail only exists for shared-nothing BEs that answer.
  const alive = nodes.filter((n) => n.kind === 'backend' && n.alive);
  const perNode = await Promise.all(alive.map((n) => probe.optional(SQL.backendDisks(n.id), `Disks of BE ${n.id}`)));
  const disks: DiskRow[] = alive.flatMap((n, i) => (perNode[i] ?? []).map((r) => parseDisk(n.id, r)));
  const cache = info.architecture === 'shared_data' ? ((await probe.optional(SQL.datacache, 'Data cache')) ?? []) : [];
  return {
    architecture: info.architecture,
    nodes: nodes.map(nodeUsage),
    disks,
    datacache: cache.map(datacacheRow),
    totals: backendTotals(nodes),
    issues: [...diskIssues(nodes), ...diskStateIssues(disks), ...probe.degraded],
    sources: probe.sources,
  };
}

export async function getTabletDistribution(
  executor: StatementExecutor,
  signal?: AbortSignal,
): Promise<TabletDistribution> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  const sharedData = info.architecture === 'shared_data';
  const [nodes, perBackend, spread, balance] = await Promise.all([
    readNodes(probe, info),
    sharedData ? undefined : probe.optional(SQL.tabletsByBackend, 'Tablets per backend'),
    sharedData ? undefined : probe.optional(SQL.partitionSpread, 'Partition spread'),
    sharedData ? undefined : probe.optional(SQL.clusterBalance, 'Cluster balance'),
  ]);
  const { items, mean } = tabletNodes(nodes, perBackend ?? []);
  return {
    architecture: info.architecture,
    nodes: items,
    mean_tablets_per_active_node: round(mean, 1),
    balance: balanceItems(balance ?? []),
    issues: [...skewIssues(nodes), ...partitionSkewIssues(spread ?? []), ...probe.degraded],
    sources: probe.sources,
  };
}

export async function getReplicaStatus(executor: StatementExecutor, signal?: AbortSignal): Promise<ReplicaStatus> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  if (info.architecture === 'shared_data') {
    return {
      architecture: info.architecture,
      status: 'NOT_APPLICABLE',
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
  const repair = balanceItems(balance ?? []);
  const dead = nodeIssues(nodes, clock.nowMs).filter((i) => i.id === STORAGE_RULE_IDS.NODE_DEAD);
  const issues = [
    ...(total ? replicaIssues(total, databases, dead.length > 0, repair.pending_tablets ?? undefined) : []),
    ...replicaCountIssues(lagging ?? [], shortfall ?? []),
    ...dead,
  ];
  return {
    architecture: info.architecture,
    status: statusOf(issues),
    note: dead.length
      ? `Unhealthy tablets are expected while ${dead.length} node(s) are dead; single-replica tablets on them cannot be repaired until they return.`
      : null,
    total,
    databases: databases.map((d) => databaseReplicas(d, details[troubled.indexOf(d)]?.[0])),
    repair,
    schedules: (schedules ?? []).map(tabletSchedule),
    issues: [...issues, ...probe.degraded],
    sources: probe.sources,
  };
}

/** Tables enriched with partitions_meta counts: the biggest ones, in one statement. */
const ENRICHED_TABLES = 20;

export async function getLargeTables(
  executor: StatementExecutor,
  limit: number,
  signal?: AbortSignal,
): Promise<LargeTables> {
  const info = await clusterInfo(executor, signal);
  const probe = new Probe(executor, signal);
  const sharedData = info.architecture === 'shared_data';
  const rows = await probe.query(SQL.largeTables(limit + 1));
  const tables = rows.slice(0, limit).map(largeTable);
  const top = tables.slice(0, ENRICHED_TABLES);
  const layout = top.length
    ? ((await probe.optional(SQL.tablePartitions(top, sharedData), 'Partitions and buckets per table')) ?? [])
    : [];
  const byName = new Map(layout.map((r) => [`${r.DB_NAME}.${r.TABLE_NAME}`, r]));
  return {
    architecture: info.architecture,
    items: tables.map((t) => enrichedTable(t, byName.get(`${t.database}.${t.table}`))),
    count: tables.length,
    truncated: rows.length > limit,
    enriched: top.length,
    issues: probe.degraded,
    sources: probe.sources,
  };
}

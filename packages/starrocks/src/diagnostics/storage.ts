import type { Row, StatementExecutor } from '../executor.js';
import { type ClusterInfo, clusterInfo } from './architecture.js';
import { buildDiagnosis, readClock } from './common.js';
import { diskIssues, type NodeInfo, nodeIssues, parseNode, skewIssues } from './nodes.js';
import { bytes, GiB, num, round, text } from './parse.js';
import { REPLICA_VERSION_LAG, SQL } from './sql.js';
import { type Diagnosis, type Issue, Probe } from './types.js';

export interface ReplicaCounters {
  tablets: number;
  replicas: number;
  unhealthy: number;
  inconsistent: number;
  cloning: number;
  error_state: number;
}

export interface DatabaseReplicaCounters extends ReplicaCounters {
  db_id: string;
  db_name: string;
}

export function parseStatistic(rows: Row[]): { total: ReplicaCounters | null; databases: DatabaseReplicaCounters[] } {
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

/** REP-UNHEALTHY, REP-ERROR-STATE, REP-ERROR-RATE, REP-INCONSISTENT, REP-CLONING. */
export function replicaIssues(
  total: ReplicaCounters,
  databases: DatabaseReplicaCounters[],
  anyDeadNode: boolean,
  pendingTablets?: number,
): Issue[] {
  const issues: Issue[] = [];
  const perDb = (key: keyof ReplicaCounters) =>
    Object.fromEntries(databases.filter((d) => d[key] > 0).map((d) => [d.db_name, d[key]]));
  if (total.unhealthy > 0) {
    const critical = total.unhealthy > 100 || anyDeadNode;
    issues.push({
      id: 'REP-UNHEALTHY',
      severity: critical ? 'critical' : 'warning',
      message: `${total.unhealthy} unhealthy tablets${anyDeadNode ? ' (a node is dead)' : ''}`,
      evidence: {
        unhealthy_tablets: total.unhealthy,
        by_database: perDb('unhealthy'),
        cloning_tablets: total.cloning,
        pending_tablets: pendingTablets ?? null,
        threshold: 100,
      },
      recommendation:
        "Find the tablets with SHOW PROC '/statistic/<DbId>', check dead backends and SHOW PROC '/cluster_balance/pending_tablets'; ADMIN REPAIR TABLE db.tbl prioritises a table's repair.",
    });
  }
  if (total.error_state > 0) {
    issues.push({
      id: 'REP-ERROR-STATE',
      severity: total.error_state >= 10 ? 'critical' : 'warning',
      message: `${total.error_state} tablets have a replica in error state`,
      evidence: { error_state_tablets: total.error_state, by_database: perDb('error_state') },
      recommendation:
        'Inspect the replicas with SHOW TABLET <id>; marking the bad replica bad (ADMIN SET REPLICA STATUS) forces a re-clone.',
    });
    const rate = total.tablets ? (total.error_state / total.tablets) * 100 : 0;
    if (rate > 1) {
      issues.push({
        id: 'REP-ERROR-RATE',
        severity: 'critical',
        message: `${round(rate)} % of all tablets have an error-state replica (> 1 %)`,
        evidence: { error_state_tablets: total.error_state, tablets: total.tablets, rate_pct: round(rate) },
        recommendation: 'Cluster-wide data availability risk: repair the affected tables first.',
      });
    }
  }
  if (total.inconsistent > 0) {
    issues.push({
      id: 'REP-INCONSISTENT',
      severity: 'warning',
      message: `${total.inconsistent} tablets failed the consistency check`,
      evidence: { inconsistent_tablets: total.inconsistent, by_database: perDb('inconsistent') },
      recommendation: 'Replica checksums differ: repair (clone) the affected tablets.',
    });
  }
  if (total.cloning > 0) {
    issues.push({
      id: 'REP-CLONING',
      severity: 'info',
      message: `${total.cloning} tablets are being cloned (repair or balance in progress)`,
      evidence: { cloning_tablets: total.cloning },
      recommendation: 'Fine while UnhealthyTabletNum decreases between runs.',
    });
  }
  return issues;
}

/** REP-VERSION-LAG and REP-MISSING, from be_tablets (versions per replica, replica counts per partition). */
export function replicaCountIssues(lagging: Row[], shortfall: Row[]): Issue[] {
  const issues: Issue[] = [];
  if (lagging.length) {
    const replicas = lagging.map((r) => ({
      node_id: String(r.BE_ID),
      tablet_id: String(r.TABLET_ID),
      version: num(r.MAX_VERSION) ?? null,
      best_version: num(r.best_version) ?? null,
      behind: (num(r.best_version) ?? 0) - (num(r.MAX_VERSION) ?? 0),
    }));
    const byNode: Record<string, number> = {};
    for (const r of replicas) byNode[r.node_id] = (byNode[r.node_id] ?? 0) + 1;
    issues.push({
      id: 'REP-VERSION-LAG',
      severity: 'warning',
      message: `${lagging.length}${lagging.length >= 50 ? '+' : ''} replicas are more than ${REPLICA_VERSION_LAG} versions behind the best replica of their tablet (on ${Object.keys(byNode).join(', ')})`,
      evidence: { replicas: replicas.slice(0, 10), by_backend: byNode, threshold_versions: REPLICA_VERSION_LAG },
      recommendation:
        'A lagging replica misses loads: check that backend for load and publish errors; the tablet scheduler repairs it with a clone (ADMIN REPAIR TABLE db.tbl prioritises it).',
    });
  }
  if (shortfall.length) {
    const partitions = shortfall.map((r) => ({
      partition: `${r.DB_NAME}.${r.TABLE_NAME}.${r.PARTITION_NAME}`,
      partition_id: String(r.PARTITION_ID),
      expected: num(r.expected) ?? null,
      reported: num(r.reported) ?? null,
    }));
    issues.push({
      id: 'REP-MISSING',
      severity: 'warning',
      message: `${shortfall.length}${shortfall.length >= 50 ? '+' : ''} partitions report fewer tablet replicas than BUCKETS × REPLICATION_NUM`,
      evidence: {
        partitions: partitions.slice(0, 10),
        note: 'Heuristic: be_tablets only lists replicas of alive backends; rollup indexes add rows.',
      },
      recommendation:
        "Replicas are missing, usually on a dead or dropped backend: check the backends and SHOW PROC '/cluster_balance/pending_tablets'; the scheduler re-creates them once a healthy copy exists.",
    });
  }
  return issues;
}

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

const LARGE_PARTITION_BYTES = 10 * GiB;

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
  const issues: Issue[] = [...nodeIssues(nodes, clock.nowMs), ...diskIssues(nodes), ...skewIssues(nodes)];
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
  const totalTablets = nodes.reduce((a, n) => a + (n.tablets ?? 0), 0);
  metrics.total_tablets = totalTablets;
  if (totalTablets >= 100_000) {
    issues.push({
      id: 'DIST-TOTAL-TABLETS',
      severity: totalTablets > 500_000 ? 'warning' : 'info',
      message: `${totalTablets} tablet replicas in the cluster`,
      evidence: { total_tablets: totalTablets, warning_above: 500_000, info_above: 100_000 },
      recommendation: 'Over-sharding: fewer buckets, coarser partitions, partition TTL.',
    });
  }
  if (statistic) {
    const { total, databases } = parseStatistic(statistic);
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
  }
  if (tablets) metrics.max_rowsets_per_tablet = Math.max(0, ...tablets.map((r) => num(r.max_rowsets) ?? 0));
  if (partitions) {
    const large = partitions
      .map((r) => ({ partition: `${r.DB_NAME}.${r.TABLE_NAME}.${r.PARTITION_NAME}`, bytes: bytes(r.DATA_SIZE) ?? 0 }))
      .filter((p) => p.bytes > LARGE_PARTITION_BYTES)
      .sort((a, b) => b.bytes - a.bytes);
    if (large.length) {
      issues.push({
        id: 'STG-LARGE-PARTITIONS',
        severity: 'info',
        message: `${large.length} partitions are larger than 10 GiB`,
        evidence: { top: large.slice(0, 5).map((p) => ({ ...p, gib: round(p.bytes / GiB, 1) })) },
        recommendation: 'Review partition granularity and bucket count (about 1 GiB per tablet is a good target).',
      });
    }
  }
  if (datacache) {
    const usage = datacache.map((r) => {
      const quota = num(r.DISK_QUOTA_BYTES) ?? 0;
      return {
        node_id: String(r.BE_ID),
        status: text(r.STATUS) ?? 'unknown',
        used_pct: quota ? round(((num(r.DISK_USED_BYTES) ?? 0) / quota) * 100, 1) : null,
      };
    });
    metrics.cache_max_used_pct = Math.max(0, ...usage.map((u) => u.used_pct ?? 0));
    const full = usage.filter((u) => (u.used_pct ?? 0) >= 95 || u.status !== 'Normal');
    if (full.length) {
      issues.push({
        id: 'STG-CACHE-FULL',
        severity: 'warning',
        message: `Data cache full or not normal on ${full.map((u) => u.node_id).join(', ')}`,
        evidence: { nodes: full, threshold_pct: 95 },
        recommendation: 'Cache churn raises remote reads: enlarge the cache quota or add compute nodes.',
      });
    }
  }
  if (storage) {
    const ratios = storage
      .map((r) => ({
        partition: `${r.DB_NAME}.${r.TABLE_NAME}.${r.PARTITION_NAME}`,
        data: bytes(r.DATA_SIZE) ?? 0,
        stored: num(r.STORAGE_SIZE) ?? 0,
      }))
      .filter((p) => p.data > 0)
      .map((p) => ({ ...p, ratio: round(p.stored / p.data) }));
    metrics.max_storage_amplification = Math.max(0, ...ratios.map((p) => p.ratio));
    for (const [severity, floor, ceiling] of [
      ['critical', 2, Number.POSITIVE_INFINITY],
      ['warning', 1.5, 2],
    ] as const) {
      const hit = ratios.filter((p) => p.ratio > floor && p.ratio <= ceiling);
      if (hit.length) {
        issues.push({
          id: 'STG-AMPLIFICATION',
          severity,
          message: `${hit.length} partitions store more than ${floor}× their data size in object storage`,
          evidence: { partitions: hit.slice(0, 10), threshold: floor },
          recommendation: 'Old versions are not vacuumed or compaction lags: check vacuum and compaction.',
        });
      }
    }
  }
  return buildDiagnosis('analyze_storage_health', 'storage', info, probe, issues, metrics);
}

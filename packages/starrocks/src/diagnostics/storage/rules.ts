import type { Row } from '../../executor.js';
import { GiB, num, parseDateTime, round } from '../parse.js';
import type { Issue } from '../types.js';
import { STORAGE_THRESHOLDS as THRESHOLDS } from './thresholds.js';
import {
  type CacheUsage,
  type DatabaseReplicaCounters,
  type DiskRow,
  nodeLabel as label,
  type NodeInfo,
  type PartitionSize,
  type ReplicaCounters,
  type StorageRatio,
} from './views.js';

/** Every rule id the storage expert reports, each defined once. */
export const STORAGE_RULE_IDS = {
  NODE_DEAD: 'NODE-DEAD',
  NODE_HEARTBEAT_STALE: 'NODE-HEARTBEAT-STALE',
  NODE_DECOMMISSIONING: 'NODE-DECOMMISSIONING',
  NODE_VERSION_MIXED: 'NODE-VERSION-MIXED',
  DISK_EMERGENCY: 'STG-DISK-EMERGENCY',
  DISK_CRITICAL: 'STG-DISK-CRITICAL',
  DISK_WARNING: 'STG-DISK-WARNING',
  DISK_LOW_FREE: 'STG-DISK-LOW-FREE',
  DISK_NONDATA: 'STG-DISK-NONDATA',
  DISK_OFFLINE: 'STG-DISK-OFFLINE',
  MEM_HIGH: 'STG-MEM-HIGH',
  TABLET_COUNT_HIGH: 'STG-TABLET-COUNT-HIGH',
  LARGE_PARTITIONS: 'STG-LARGE-PARTITIONS',
  CACHE_FULL: 'STG-CACHE-FULL',
  AMPLIFICATION: 'STG-AMPLIFICATION',
  DATA_SKEW: 'DIST-DATA-SKEW',
  TABLET_SKEW: 'DIST-TABLET-SKEW',
  PARTITION_SKEW: 'DIST-PARTITION-SKEW',
  TOTAL_TABLETS: 'DIST-TOTAL-TABLETS',
  REP_UNHEALTHY: 'REP-UNHEALTHY',
  REP_ERROR_STATE: 'REP-ERROR-STATE',
  REP_ERROR_RATE: 'REP-ERROR-RATE',
  REP_INCONSISTENT: 'REP-INCONSISTENT',
  REP_CLONING: 'REP-CLONING',
  REP_VERSION_LAG: 'REP-VERSION-LAG',
  REP_MISSING: 'REP-MISSING',
} as const;

const R = STORAGE_RULE_IDS;
const gib = (b: number | null) => (b === null ? null : round(b / GiB, 1));

/** NODE-DEAD, NODE-HEARTBEAT-STALE, NODE-DECOMMISSIONING, NODE-VERSION-MIXED. */
export function nodeIssues(nodes: readonly NodeInfo[], nowMs: number | undefined): Issue[] {
  const issues: Issue[] = [];
  for (const n of nodes) {
    if (!n.alive) {
      const since = parseDateTime(n.last_heartbeat);
      issues.push({
        id: R.NODE_DEAD,
        severity: 'critical',
        message: `${label(n)} is not alive (last heartbeat ${n.last_heartbeat ?? 'unknown'})`,
        evidence: {
          node_id: n.id,
          host: n.host,
          last_heartbeat: n.last_heartbeat,
          seconds_since_heartbeat:
            since !== undefined && nowMs !== undefined ? Math.round((nowMs - since) / 1000) : null,
          err_msg: n.err_msg,
          tablets: n.tablets,
        },
        recommendation:
          'Check the node process and host (ErrMsg, LastHeartbeat) and restart it. Its replicas are re-cloned elsewhere once marked dead: watch UnhealthyTabletNum fall. Drop the node (ALTER SYSTEM DROP) only after its tablets are healthy elsewhere.',
      });
      continue;
    }
    const beat = parseDateTime(n.last_heartbeat);
    if (beat !== undefined && nowMs !== undefined && nowMs - beat > THRESHOLDS.heartbeatStaleSeconds * 1000) {
      issues.push({
        id: R.NODE_HEARTBEAT_STALE,
        severity: 'warning',
        message: `${label(n)} is alive but its last heartbeat is ${Math.round((nowMs - beat) / 1000)} s old`,
        evidence: { node_id: n.id, last_heartbeat: n.last_heartbeat, threshold_s: THRESHOLDS.heartbeatStaleSeconds },
        recommendation:
          'Look for network trouble or long GC pauses between the FE and the node (FE log, heartbeat errors).',
      });
    }
    if (n.decommissioned) {
      issues.push({
        id: R.NODE_DECOMMISSIONING,
        severity: 'info',
        message: `${label(n)} is being decommissioned (${n.tablets ?? '?'} tablets left)`,
        evidence: { node_id: n.id, tablets: n.tablets },
        recommendation:
          'Track TabletNum going to 0; if it stalls, check the replication factor against the remaining nodes.',
      });
    }
  }
  const versions = [...new Set(nodes.filter((n) => n.alive && n.version).map((n) => n.version))];
  if (versions.length > 1) {
    issues.push({
      id: R.NODE_VERSION_MIXED,
      severity: 'info',
      message: `Alive nodes run ${versions.length} different versions`,
      evidence: { versions },
      recommendation: 'Finish the rolling upgrade.',
    });
  }
  return issues;
}

/** STG-DISK-EMERGENCY/CRITICAL/WARNING (highest one per node), STG-DISK-LOW-FREE, STG-DISK-NONDATA, STG-MEM-HIGH, STG-TABLET-COUNT-HIGH. */
export function diskIssues(nodes: readonly NodeInfo[]): Issue[] {
  const issues: Issue[] = [];
  for (const n of nodes.filter((x) => x.kind === 'backend')) {
    const pct = n.max_disk_used_pct ?? n.used_pct;
    const evidence = {
      node_id: n.id,
      host: n.host,
      max_disk_used_pct: pct,
      avail_gib: gib(n.avail_bytes),
      data_used_gib: gib(n.data_used_bytes),
      alive: n.alive,
    };
    const rejected =
      n.avail_bytes !== null && n.avail_bytes < THRESHOLDS.hardReserveBytes
        ? ` Above ${THRESHOLDS.diskCriticalPct} % with less than ${gib(THRESHOLDS.hardReserveBytes)} GiB free, load and restore jobs touching this disk are rejected.`
        : '';
    if (pct !== null && pct >= THRESHOLDS.diskEmergencyPct) {
      issues.push({
        id: R.DISK_EMERGENCY,
        severity: 'critical',
        message: `${label(n)} disk usage ${pct} % (>= ${THRESHOLDS.diskEmergencyPct} %)`,
        evidence: { ...evidence, threshold_pct: THRESHOLDS.diskEmergencyPct },
        recommendation: `Free space now (trash, old partitions, logs on the data disk) and add disks or nodes; writes are already being rejected.${rejected}`,
      });
    } else if (pct !== null && pct >= THRESHOLDS.diskCriticalPct) {
      issues.push({
        id: R.DISK_CRITICAL,
        severity: 'critical',
        message: `${label(n)} disk usage ${pct} % (>= ${THRESHOLDS.diskCriticalPct} %)`,
        evidence: {
          ...evidence,
          threshold_pct: THRESHOLDS.diskCriticalPct,
          hard_limit_reserve_gib: gib(THRESHOLDS.hardReserveBytes),
        },
        recommendation: `Free space or add capacity on ${n.host}.${rejected}`,
      });
    } else if (pct !== null && pct >= THRESHOLDS.diskWarningPct) {
      issues.push({
        id: R.DISK_WARNING,
        severity: 'warning',
        message: `${label(n)} disk usage ${pct} % (>= ${THRESHOLDS.diskWarningPct} %)`,
        evidence: { ...evidence, threshold_pct: THRESHOLDS.diskWarningPct },
        recommendation:
          'Plan cleanup or expansion; above 90 % with less than 200 GiB free no new replicas are cloned onto this disk.',
      });
    }
    if (n.avail_bytes !== null && n.avail_bytes < THRESHOLDS.lowFreeBytes) {
      issues.push({
        id: R.DISK_LOW_FREE,
        severity: 'critical',
        message: `${label(n)} has only ${gib(n.avail_bytes)} GiB free (< ${gib(THRESHOLDS.lowFreeBytes)} GiB)`,
        evidence: { ...evidence, threshold_gib: gib(THRESHOLDS.lowFreeBytes) },
        recommendation: 'Clean up immediately: drop expired partitions, empty trash, move non-data files off the disk.',
      });
    }
    if (
      n.other_used_bytes !== null &&
      n.total_bytes &&
      (n.used_pct ?? 0) >= THRESHOLDS.diskWarningPct &&
      (n.other_used_bytes / n.total_bytes) * 100 > THRESHOLDS.nonDataSharePct
    ) {
      const share = round((n.other_used_bytes / n.total_bytes) * 100, 1);
      issues.push({
        id: R.DISK_NONDATA,
        severity: 'warning',
        message: `${label(n)}: ${gib(n.other_used_bytes)} GiB (${share} % of the disk) is used by files that are not StarRocks data`,
        evidence: { ...evidence, other_used_gib: gib(n.other_used_bytes), other_used_share_pct: share },
        recommendation:
          'The disk is filled by logs, core dumps, trash or other software: clean those before adding capacity.',
      });
    }
  }
  for (const n of nodes.filter((x) => x.alive)) {
    if (n.mem_used_pct !== null && n.mem_used_pct > THRESHOLDS.memHighPct) {
      issues.push({
        id: R.MEM_HIGH,
        severity: 'warning',
        message: `${label(n)} memory usage ${n.mem_used_pct} % (> ${THRESHOLDS.memHighPct} %)`,
        evidence: { node_id: n.id, mem_used_pct: n.mem_used_pct },
        recommendation: 'Look for large queries or loads on this node.',
      });
    }
    if (n.tablets !== null && n.tablets > THRESHOLDS.tabletsPerNode) {
      issues.push({
        id: R.TABLET_COUNT_HIGH,
        severity: 'warning',
        message: `${label(n)} holds ${n.tablets} tablets (> ${THRESHOLDS.tabletsPerNode})`,
        evidence: { node_id: n.id, tablets: n.tablets },
        recommendation: 'Too many tablets per node: use coarser partitions or fewer buckets.',
      });
    }
  }
  return issues;
}

/** DIST-DATA-SKEW / DIST-TABLET-SKEW over alive, non-decommissioning nodes. */
export function skewIssues(nodes: readonly NodeInfo[]): Issue[] {
  const active = nodes.filter((n) => n.alive && !n.decommissioned && n.kind === 'backend');
  const issues: Issue[] = [];
  const check = (id: Issue['id'], what: string, value: (n: NodeInfo) => number | null, recommendation: string) => {
    const values = active.map((n) => ({ n, v: value(n) })).filter((x): x is { n: NodeInfo; v: number } => x.v !== null);
    if (values.length < 2) return;
    const mean = values.reduce((a, x) => a + x.v, 0) / values.length;
    if (mean <= 0) return;
    const skewed = values.filter((x) => (Math.abs(x.v - mean) / mean) * 100 > THRESHOLDS.skewPct);
    if (!skewed.length) return;
    issues.push({
      id,
      severity: 'warning',
      message: `${what} is uneven: ${skewed.map((x) => `${x.n.id} ${round(((x.v - mean) / mean) * 100, 1)} %`).join(', ')} from the mean`,
      evidence: {
        mean: round(mean, 0),
        threshold_pct: THRESHOLDS.skewPct,
        nodes: values.map((x) => ({ node_id: x.n.id, value: x.v })),
      },
      recommendation,
    });
  };
  check(
    R.DATA_SKEW,
    'Data per backend',
    (n) => n.data_used_bytes,
    "Check SHOW PROC '/cluster_balance'; the balancer should move tablets. Look for skewed bucket keys.",
  );
  check(
    R.TABLET_SKEW,
    'Tablets per backend',
    (n) => n.tablets,
    "Check SHOW PROC '/cluster_balance'; a newly added backend still filling up is expected.",
  );
  return issues;
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
    const critical = total.unhealthy > THRESHOLDS.unhealthyCritical || anyDeadNode;
    issues.push({
      id: R.REP_UNHEALTHY,
      severity: critical ? 'critical' : 'warning',
      message: `${total.unhealthy} unhealthy tablets${anyDeadNode ? ' (a node is dead)' : ''}`,
      evidence: {
        unhealthy_tablets: total.unhealthy,
        by_database: perDb('unhealthy'),
        cloning_tablets: total.cloning,
        pending_tablets: pendingTablets ?? null,
        threshold: THRESHOLDS.unhealthyCritical,
      },
      recommendation:
        "Find the tablets with SHOW PROC '/statistic/<DbId>', check dead backends and SHOW PROC '/cluster_balance/pending_tablets'; ADMIN REPAIR TABLE db.tbl prioritises a table's repair.",
    });
  }
  if (total.error_state > 0) {
    issues.push({
      id: R.REP_ERROR_STATE,
      severity: total.error_state >= THRESHOLDS.errorStateCritical ? 'critical' : 'warning',
      message: `${total.error_state} tablets have a replica in error state`,
      evidence: { error_state_tablets: total.error_state, by_database: perDb('error_state') },
      recommendation:
        'Inspect the replicas with SHOW TABLET <id>; marking the bad replica bad (ADMIN SET REPLICA STATUS) forces a re-clone.',
    });
    const rate = total.tablets ? (total.error_state / total.tablets) * 100 : 0;
    if (rate > THRESHOLDS.errorStatePct) {
      issues.push({
        id: R.REP_ERROR_RATE,
        severity: 'critical',
        message: `${round(rate)} % of all tablets have an error-state replica (> ${THRESHOLDS.errorStatePct} %)`,
        evidence: { error_state_tablets: total.error_state, tablets: total.tablets, rate_pct: round(rate) },
        recommendation: 'Cluster-wide data availability risk: repair the affected tables first.',
      });
    }
  }
  if (total.inconsistent > 0) {
    issues.push({
      id: R.REP_INCONSISTENT,
      severity: 'warning',
      message: `${total.inconsistent} tablets failed the consistency check`,
      evidence: { inconsistent_tablets: total.inconsistent, by_database: perDb('inconsistent') },
      recommendation: 'Replica checksums differ: repair (clone) the affected tablets.',
    });
  }
  if (total.cloning > 0) {
    issues.push({
      id: R.REP_CLONING,
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
      id: R.REP_VERSION_LAG,
      severity: 'warning',
      message: `${lagging.length}${lagging.length >= 50 ? '+' : ''} replicas are more than ${THRESHOLDS.replicaVersionLag} versions behind the best replica of their tablet (on ${Object.keys(byNode).join(', ')})`,
      evidence: {
        replicas: replicas.slice(0, 10),
        by_backend: byNode,
        threshold_versions: THRESHOLDS.replicaVersionLag,
      },
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
      id: R.REP_MISSING,
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

/** DIST-TOTAL-TABLETS: tablet replicas in the whole cluster. */
export function totalTabletIssues(totalTablets: number): Issue[] {
  if (totalTablets < THRESHOLDS.totalTabletsInfo) return [];
  return [
    {
      id: R.TOTAL_TABLETS,
      severity: totalTablets > THRESHOLDS.totalTabletsWarning ? 'warning' : 'info',
      message: `${totalTablets} tablet replicas in the cluster`,
      evidence: {
        total_tablets: totalTablets,
        warning_above: THRESHOLDS.totalTabletsWarning,
        info_above: THRESHOLDS.totalTabletsInfo,
      },
      recommendation: 'Over-sharding: fewer buckets, coarser partitions, partition TTL.',
    },
  ];
}

/** STG-LARGE-PARTITIONS: partitions over the size limit. */
export function largePartitionIssues(partitions: readonly PartitionSize[]): Issue[] {
  const large = partitions.filter((p) => p.bytes > THRESHOLDS.largePartitionBytes).sort((a, b) => b.bytes - a.bytes);
  if (!large.length) return [];
  return [
    {
      id: R.LARGE_PARTITIONS,
      severity: 'info',
      message: `${large.length} partitions are larger than ${gib(THRESHOLDS.largePartitionBytes)} GiB`,
      evidence: { top: large.slice(0, 5).map((p) => ({ ...p, gib: round(p.bytes / GiB, 1) })) },
      recommendation: 'Review partition granularity and bucket count (about 1 GiB per tablet is a good target).',
    },
  ];
}

/** STG-CACHE-FULL: a CN's data cache is (nearly) full or not in the Normal state. */
export function cacheIssues(usage: readonly CacheUsage[]): Issue[] {
  const full = usage.filter((u) => (u.used_pct ?? 0) >= THRESHOLDS.cacheFullPct || u.status !== 'Normal');
  if (!full.length) return [];
  return [
    {
      id: R.CACHE_FULL,
      severity: 'warning',
      message: `Data cache full or not normal on ${full.map((u) => u.node_id).join(', ')}`,
      evidence: { nodes: full, threshold_pct: THRESHOLDS.cacheFullPct },
      recommendation: 'Cache churn raises remote reads: enlarge the cache quota or add compute nodes.',
    },
  ];
}

/** STG-AMPLIFICATION: object storage holds a multiple of the data size (one issue per band). */
export function amplificationIssues(ratios: readonly StorageRatio[]): Issue[] {
  const issues: Issue[] = [];
  for (const [severity, floor, ceiling] of [
    ['critical', THRESHOLDS.amplificationCritical, Number.POSITIVE_INFINITY],
    ['warning', THRESHOLDS.amplificationWarning, THRESHOLDS.amplificationCritical],
  ] as const) {
    const hit = ratios.filter((p) => p.ratio > floor && p.ratio <= ceiling);
    if (hit.length) {
      issues.push({
        id: R.AMPLIFICATION,
        severity,
        message: `${hit.length} partitions store more than ${floor}× their data size in object storage`,
        evidence: { partitions: hit.slice(0, 10), threshold: floor },
        recommendation: 'Old versions are not vacuumed or compaction lags: check vacuum and compaction.',
      });
    }
  }
  return issues;
}

/** STG-DISK-OFFLINE: a data disk that is not ONLINE. */
export function diskStateIssues(disks: readonly DiskRow[]): Issue[] {
  return disks
    .filter((d) => d.state && d.state !== 'ONLINE')
    .map((d) => ({
      id: R.DISK_OFFLINE,
      severity: 'warning',
      message: `Disk ${d.root_path} on BE ${d.node_id} is ${d.state}`,
      evidence: { ...d },
      recommendation: 'Check the mount and the disk; tablets on it are being repaired elsewhere.',
    }));
}

/** DIST-PARTITION-SKEW: partitions whose replicas are spread unevenly across backends (PARTITION_ID, spread rows). */
export function partitionSkewIssues(spread: readonly Row[]): Issue[] {
  if (!spread.length) return [];
  return [
    {
      id: R.PARTITION_SKEW,
      severity: 'info',
      message: `${spread.length} partitions have replicas spread unevenly across backends (max − min > ${THRESHOLDS.partitionSpread})`,
      evidence: {
        partitions: spread.slice(0, 20).map((r) => ({ partition_id: String(r.PARTITION_ID), spread: num(r.spread) })),
      },
      recommendation: 'Uneven scans; usually fixed by the balancer over time.',
    },
  ];
}

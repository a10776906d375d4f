import type { Row } from '../executor.js';
import { bool, bytes, GiB, num, parseDateTime, percent, round, text } from './parse.js';
import type { Issue } from './types.js';

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

const label = (n: NodeInfo) => `${n.kind === 'backend' ? 'BE' : 'CN'} ${n.id} (${n.host})`;
const gib = (b: number | null) => (b === null ? null : round(b / GiB, 1));

export const THRESHOLDS = {
  diskWarningPct: 85,
  diskCriticalPct: 95,
  diskEmergencyPct: 98,
  lowFreeBytes: 10 * GiB,
  hardReserveBytes: 100 * GiB,
  nonDataSharePct: 20,
  memHighPct: 90,
  tabletsPerNode: 50_000,
  heartbeatStaleSeconds: 60,
  skewPct: 20,
};

/** NODE-DEAD, NODE-HEARTBEAT-STALE, NODE-DECOMMISSIONING, NODE-VERSION-MIXED. */
export function nodeIssues(nodes: readonly NodeInfo[], nowMs: number | undefined): Issue[] {
  const issues: Issue[] = [];
  for (const n of nodes) {
    if (!n.alive) {
      const since = parseDateTime(n.last_heartbeat);
      issues.push({
        id: 'NODE-DEAD',
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
        id: 'NODE-HEARTBEAT-STALE',
        severity: 'warning',
        message: `${label(n)} is alive but its last heartbeat is ${Math.round((nowMs - beat) / 1000)} s old`,
        evidence: { node_id: n.id, last_heartbeat: n.last_heartbeat, threshold_s: THRESHOLDS.heartbeatStaleSeconds },
        recommendation:
          'Look for network trouble or long GC pauses between the FE and the node (FE log, heartbeat errors).',
      });
    }
    if (n.decommissioned) {
      issues.push({
        id: 'NODE-DECOMMISSIONING',
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
      id: 'NODE-VERSION-MIXED',
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
        ? ' Above 95 % with less than 100 GiB free, load and restore jobs touching this disk are rejected.'
        : '';
    if (pct !== null && pct >= THRESHOLDS.diskEmergencyPct) {
      issues.push({
        id: 'STG-DISK-EMERGENCY',
        severity: 'critical',
        message: `${label(n)} disk usage ${pct} % (>= ${THRESHOLDS.diskEmergencyPct} %)`,
        evidence: { ...evidence, threshold_pct: THRESHOLDS.diskEmergencyPct },
        recommendation: `Free space now (trash, old partitions, logs on the data disk) and add disks or nodes; writes are already being rejected.${rejected}`,
      });
    } else if (pct !== null && pct >= THRESHOLDS.diskCriticalPct) {
      issues.push({
        id: 'STG-DISK-CRITICAL',
        severity: 'critical',
        message: `${label(n)} disk usage ${pct} % (>= ${THRESHOLDS.diskCriticalPct} %)`,
        evidence: { ...evidence, threshold_pct: THRESHOLDS.diskCriticalPct, hard_limit_reserve_gib: 100 },
        recommendation: `Free space or add capacity on ${n.host}.${rejected}`,
      });
    } else if (pct !== null && pct >= THRESHOLDS.diskWarningPct) {
      issues.push({
        id: 'STG-DISK-WARNING',
        severity: 'warning',
        message: `${label(n)} disk usage ${pct} % (>= ${THRESHOLDS.diskWarningPct} %)`,
        evidence: { ...evidence, threshold_pct: THRESHOLDS.diskWarningPct },
        recommendation:
          'Plan cleanup or expansion; above 90 % with less than 200 GiB free no new replicas are cloned onto this disk.',
      });
    }
    if (n.avail_bytes !== null && n.avail_bytes < THRESHOLDS.lowFreeBytes) {
      issues.push({
        id: 'STG-DISK-LOW-FREE',
        severity: 'critical',
        message: `${label(n)} has only ${gib(n.avail_bytes)} GiB free (< 10 GiB)`,
        evidence: { ...evidence, threshold_gib: 10 },
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
        id: 'STG-DISK-NONDATA',
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
        id: 'STG-MEM-HIGH',
        severity: 'warning',
        message: `${label(n)} memory usage ${n.mem_used_pct} % (> ${THRESHOLDS.memHighPct} %)`,
        evidence: { node_id: n.id, mem_used_pct: n.mem_used_pct },
        recommendation: 'Look for large queries or loads on this node.',
      });
    }
    if (n.tablets !== null && n.tablets > THRESHOLDS.tabletsPerNode) {
      issues.push({
        id: 'STG-TABLET-COUNT-HIGH',
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
  const check = (id: string, what: string, value: (n: NodeInfo) => number | null, recommendation: string) => {
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
    'DIST-DATA-SKEW',
    'Data per backend',
    (n) => n.data_used_bytes,
    "Check SHOW PROC '/cluster_balance'; the balancer should move tablets. Look for skewed bucket keys.",
  );
  check(
    'DIST-TABLET-SKEW',
    'Tablets per backend',
    (n) => n.tablets,
    "Check SHOW PROC '/cluster_balance'; a newly added backend still filling up is expected.",
  );
  return issues;
}

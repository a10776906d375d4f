import { describe, expect, it } from 'vitest';
import {
  analyzeCompaction,
  analyzeComprehensive,
  analyzeIngestion,
  analyzeStorage,
  checkLoadJobStatus,
  getCompactionHistory,
  getCompactionStatus,
  getDiskUsage,
  getFailedLoadJobs,
  getHighCompactionPartitions,
  getLargeTables,
  getLoadJobs,
  getReplicaStatus,
  getRoutineLoadJobs,
  getStreamLoadStats,
  getTabletDistribution,
} from '../src/diagnostics/index.js';
import { cluster, ids } from './helpers.js';

describe('scenario 1: healthy shared-nothing cluster', async () => {
  const { executor } = await cluster('healthy');

  it('storage: no issues, 100 / EXCELLENT, every statement answered', async () => {
    const d = await analyzeStorage(executor);
    expect(d.architecture).toBe('shared_nothing');
    expect(d.starrocks_version).toBe('3.3.8-0b35f6e');
    expect(d.issues).toEqual([]);
    expect([d.health_score, d.level, d.status]).toEqual([100, 'EXCELLENT', 'HEALTHY']);
    expect(d.metrics).toMatchObject({ nodes_total: 3, nodes_alive: 3, max_disk_used_pct: 48.32, unhealthy_tablets: 0 });
    expect(d.sources.every((s) => s.ok)).toBe(true);
  });

  it('compaction: shared-nothing plan, no issues', async () => {
    const d = await analyzeCompaction(executor);
    expect(d.issues).toEqual([]);
    expect(d.health_score).toBe(100);
    expect(d.metrics).toMatchObject({ max_rowsets_per_tablet: 15, max_candidate_score: 12 });
    expect(d.sources.every((s) => s.ok)).toBe(true);
  });

  it('ingestion: only the high-volume note, 100', async () => {
    const d = await analyzeIngestion(executor, 24);
    expect(ids(d.issues)).toEqual(['ING-HIGH-VOLUME-TABLE']);
    expect(d.issues[0]?.message).toContain('sales.order_items received 288 loads');
    expect([d.health_score, d.level, d.status]).toEqual([100, 'EXCELLENT', 'HEALTHY']);
    expect(d.sources.every((s) => s.ok)).toBe(true);
  });

  it('get_* views', async () => {
    const disk = await getDiskUsage(executor);
    expect(disk.nodes.map((n) => n.used_pct)).toEqual([47.71, 48.32, 48.12]);
    expect(disk.disks).toHaveLength(3);
    expect(disk.issues).toEqual([]);
    const dist = await getTabletDistribution(executor);
    expect(dist.nodes.map((n) => n.tablets)).toEqual([8084, 8086, 8082]);
    expect(dist.issues).toEqual([]);
    const replicas = await getReplicaStatus(executor);
    expect(replicas.status).toBe('HEALTHY');
    const large = await getLargeTables(executor, 3);
    expect(large.items.map((t) => `${t.database}.${t.table}`)).toEqual([
      'sales.orders',
      'web.clicks',
      'sales.order_items',
    ]);
    // partitions_meta enrichment: sales.orders has two partitions of 16 buckets; order_items has none listed.
    expect(large.items[0]).toMatchObject({ partitions: 2, buckets: 32, replication_num: 3, storage_bytes: null });
    expect(large.items[0]?.avg_tablet_bytes).toBe(Math.round(611906125824 / 32));
    expect(large.items[2]).toMatchObject({ partitions: null, buckets: null });
    expect(large).toMatchObject({ enriched: 3, issues: [] });
    const partitions = await getHighCompactionPartitions(executor, 50, 100);
    expect(partitions).toMatchObject({ score_kind: 'max_rowset_count', count: 0 });
    const history = await getCompactionHistory(executor, 24);
    expect(history.status).toBe('LIMITED');
    expect(history.snapshot).toHaveLength(3);
    const status = await getCompactionStatus(executor);
    expect(status.nodes).toHaveLength(3);
    expect(status.issues).toEqual([]);
  });

  it('loads and routine loads', async () => {
    const stats = await getStreamLoadStats(executor, 24);
    expect(stats).toMatchObject({ total: 288, finished: 288, cancelled: 0, failure_rate_pct: 0, avg_load_s: 2.4 });
    expect(stats.tables).toHaveLength(1);
    expect((await getFailedLoadJobs(executor, 24, 20)).items).toEqual([]);
    const jobs = await getLoadJobs(executor, 5);
    expect(jobs.items).toHaveLength(5);
    expect(jobs.truncated).toBe(true);
    expect(jobs.items[0]?.label).toMatch(/^order_items_20250611_101500_/);
    const routine = await getRoutineLoadJobs(executor);
    expect(routine.items[0]).toMatchObject({ state: 'RUNNING', offset_lag_total: 219, timestamp_lag_s: 2 });
    expect(routine.issues).toEqual([]);
  });

  it('comprehensive: 100 / EXCELLENT, no cross findings', async () => {
    const d = await analyzeComprehensive(executor);
    expect([d.health_score, d.level, d.status]).toEqual([100, 'EXCELLENT', 'HEALTHY']);
    expect(d.cross_module).toEqual([]);
  });
});

describe('scenario 2: one backend at 96 % disk', async () => {
  const { executor } = await cluster('disk-full');

  it('storage reports STG-DISK-CRITICAL and STG-DISK-NONDATA only: 65 / FAIR / CRITICAL', async () => {
    const d = await analyzeStorage(executor);
    expect(ids(d.issues)).toEqual(['STG-DISK-CRITICAL', 'STG-DISK-NONDATA']);
    const critical = d.issues.find((i) => i.id === 'STG-DISK-CRITICAL');
    expect(critical?.evidence).toMatchObject({ node_id: '10003', max_disk_used_pct: 96.41 });
    expect(critical?.recommendation).toContain('rejected');
    const nondata = d.issues.find((i) => i.id === 'STG-DISK-NONDATA');
    expect(nondata?.evidence.other_used_share_pct).toBeCloseTo(51.3, 1);
    expect([d.health_score, d.level, d.status]).toEqual([65, 'FAIR', 'CRITICAL']);
  });

  it('get_disk_usage attaches the same issues and the per-disk OtherUsedCapacity', async () => {
    const u = await getDiskUsage(executor);
    expect(ids(u.issues)).toEqual(['STG-DISK-CRITICAL', 'STG-DISK-NONDATA']);
    expect(u.totals.max_disk_used_pct).toBe(96.41);
    expect(u.disks.find((x) => x.node_id === '10003')?.other_used_bytes).toBeCloseTo(1.01 * 1024 ** 4, -6);
  });

  it('distribution stays balanced: disk fullness is not data skew', async () => {
    expect((await getTabletDistribution(executor)).issues).toEqual([]);
  });

  it('comprehensive: 65/100/100 -> 88, capped FAIR, CRITICAL, no cross findings', async () => {
    const d = await analyzeComprehensive(executor);
    expect(d.experts.storage.health_score).toBe(65);
    expect([d.health_score, d.level, d.status]).toEqual([88, 'FAIR', 'CRITICAL']);
    expect(d.cross_module).toEqual([]);
    expect(d.prioritized_recommendations[0]?.id).toBe('STG-DISK-CRITICAL');
  });
});

describe('scenario 3: dead backend with unhealthy replicas', async () => {
  const { executor } = await cluster('dead-backend');

  it('storage: NODE-DEAD, REP-UNHEALTHY (critical), REP-CLONING; no skew: 50 / FAIR', async () => {
    const d = await analyzeStorage(executor);
    expect(ids(d.issues)).toEqual(['NODE-DEAD', 'REP-CLONING', 'REP-UNHEALTHY']);
    expect(d.issues.find((i) => i.id === 'NODE-DEAD')?.evidence).toMatchObject({
      node_id: '10004',
      seconds_since_heartbeat: 1488,
    });
    expect(d.issues.find((i) => i.id === 'REP-UNHEALTHY')).toMatchObject({ severity: 'critical' });
    expect([d.health_score, d.level, d.status]).toEqual([50, 'FAIR', 'CRITICAL']);
  });

  it('get_replica_status links the unhealthy tablets to the dead node', async () => {
    const r = await getReplicaStatus(executor);
    expect(r.status).toBe('CRITICAL');
    expect(ids(r.issues)).toEqual(['NODE-DEAD', 'REP-CLONING', 'REP-MISSING', 'REP-UNHEALTHY']);
    const sales = r.databases.find((d) => d.db_name === 'sales');
    expect(sales?.unhealthy_tablet_ids?.ids).toHaveLength(100);
    expect(sales?.unhealthy_tablet_ids?.truncated).toBe(true);
    expect(r.repair).toMatchObject({ pending_tablets: 2194, running_tablets: 64 });
  });

  it('ingestion degrades to information_schema.loads with ING-HISTORY-UNAVAILABLE', async () => {
    const d = await analyzeIngestion(executor, 24);
    expect(ids(d.issues)).toEqual(['ING-HIGH-VOLUME-TABLE', 'ING-HISTORY-UNAVAILABLE']);
    expect(d.metrics).toMatchObject({ total: 288, history_available: false });
    expect(d.health_score).toBe(100);
    expect(d.sources.some((s) => !s.ok && s.error?.includes('Backend node not found'))).toBe(true);
  });

  it('comprehensive: 50/100/100 -> 83, FAIR, CRITICAL', async () => {
    const d = await analyzeComprehensive(executor);
    expect([d.health_score, d.level, d.status]).toEqual([83, 'FAIR', 'CRITICAL']);
  });
});

describe('scenario 4: compaction score 1200 on a shared-data cluster', async () => {
  const { executor } = await cluster('compaction-backlog');

  it('compaction: emergency score, stuck txn, queueing profile, adaptive note: 52 / FAIR', async () => {
    const d = await analyzeCompaction(executor);
    expect(d.architecture).toBe('shared_data');
    expect(ids(d.issues)).toEqual(['CMP-ADAPTIVE', 'CMP-CS-EMERGENCY', 'CMP-PROFILE-QUEUE', 'CMP-TXN-STUCK']);
    expect(d.issues.find((i) => i.id === 'CMP-TXN-STUCK')).toMatchObject({ severity: 'warning' });
    expect(d.issues.find((i) => i.id === 'CMP-ADAPTIVE')?.evidence.capacity).toBe(48);
    expect([d.health_score, d.level, d.status]).toEqual([52, 'FAIR', 'CRITICAL']);
    expect(d.sources.every((s) => s.ok)).toBe(true);
  });

  it('get_high_compaction_partitions / status / history', async () => {
    const p = await getHighCompactionPartitions(executor, 50, 100);
    expect(p.items).toHaveLength(1);
    expect(p.items[0]).toMatchObject({
      table: 'events',
      partition: 'p20250611',
      max_score: 1200,
      avg_score: 862.5,
      band: 'EMERGENCY',
    });
    expect(p.summary).toMatchObject({ severity: 'EMERGENCY', max_score: 1200, affected_tables: 1 });
    const s = await getCompactionStatus(executor);
    expect(s.capacity).toBe(48);
    expect(s.nodes.map((n) => [n.started, n.queued])).toEqual([
      [4, 2],
      [4, 2],
      [4, 2],
    ]);
    expect(s.transactions[0]).toMatchObject({ txn_id: '88231', tablets_total: 32, tablets_finished: 14 });
    expect(ids(s.issues)).toEqual(['CMP-TXN-STUCK']);
    const h = await getCompactionHistory(executor, 24);
    expect(h.items.map((i) => i.state)).toEqual(['FINISHED', 'FINISHED', 'RUNNING']);
    expect(h.items[0]?.duration_s).toBe(76);
    expect(h.note).toContain('20 successful and 12 failed');
  });

  it('storage uses the shared-data plan and finds nothing; replicas are not applicable', async () => {
    const d = await analyzeStorage(executor);
    expect(d.issues).toEqual([]);
    expect(d.metrics).toMatchObject({ compute_nodes: 3, backends: 0, max_storage_amplification: 1.22 });
    expect((await getReplicaStatus(executor)).status).toBe('NOT_APPLICABLE');
    const large = await getLargeTables(executor, 5);
    expect(large.items[0]).toMatchObject({ database: 'ods', table: 'events', partitions: expect.any(Number) });
    expect(large.items[0]?.storage_bytes).toBeGreaterThan(0);
  });

  it('comprehensive: XM-HIGHFREQ-CS, 84 - 10 = 74, FAIR, CRITICAL', async () => {
    const d = await analyzeComprehensive(executor);
    expect(d.cross_module.map((c) => c.id)).toEqual(['XM-HIGHFREQ-CS']);
    expect([d.health_score, d.level, d.status]).toEqual([74, 'FAIR', 'CRITICAL']);
  });
});

describe('scenario 5: paused routine load and 30 % stream-load failures', async () => {
  const { executor } = await cluster('load-failures');

  it('ingestion: failure rate, recurring errors, paused job: 52 / FAIR / CRITICAL', async () => {
    const d = await analyzeIngestion(executor, 24, 'analyze_import_health');
    expect(ids(d.issues)).toEqual([
      'ING-FAILURE-RATE-HIGH',
      'ING-FREQUENT-FAILURES',
      'ING-HIGH-VOLUME-TABLE',
      'ING-RECURRING-ERROR',
      'ING-RECURRING-ERROR',
      'RL-PAUSED',
    ]);
    const paused = d.issues.find((i) => i.id === 'RL-PAUSED');
    expect(paused?.evidence).toMatchObject({ offset_lag_total: 816909, error_rows: 1031 });
    const categories = d.issues
      .filter((i) => i.id === 'ING-RECURRING-ERROR')
      .map((i) => [i.evidence.category, i.evidence.count]);
    expect(categories.sort()).toEqual([
      ['data_quality', 48],
      ['timeout', 12],
    ]);
    expect([d.health_score, d.level, d.status]).toEqual([52, 'FAIR', 'CRITICAL']);
  });

  it('stream stats, failed jobs, label lookup, routine jobs', async () => {
    const stats = await getStreamLoadStats(executor, 24);
    expect(stats).toMatchObject({ total: 200, finished: 140, cancelled: 60, in_flight: 0, failure_rate_pct: 30 });
    const failed = await getFailedLoadJobs(executor, 24, 10);
    expect(failed.items).toHaveLength(10);
    expect(failed.truncated).toBe(true);
    expect(failed.items[0]?.label).toBe('order_items_20250611_100804_c41d');
    expect(failed.by_category).toEqual({ data_quality: 48, timeout: 12 });
    const job = await checkLoadJobStatus(executor, 'order_items_20250611_100804_c41d');
    expect(job).toMatchObject({ status: 'FOUND', source: 'loads_history' });
    expect(job.job).toMatchObject({ state: 'CANCELLED', type: 'STREAM_LOAD', error_category: 'data_quality' });
    expect(job.metrics).toMatchObject({ load_duration_s: 2, filter_ratio_pct: 20.8 });
    expect((await checkLoadJobStatus(executor, 'no_such_label')).status).toBe('NOT_FOUND');
    const cancelled = await getLoadJobs(executor, 5, 'CANCELLED');
    expect(cancelled.items.every((j) => j.state === 'CANCELLED' && j.error_msg === 'too many filtered rows')).toBe(
      true,
    );
    const routine = await getRoutineLoadJobs(executor);
    expect(routine.items.map((j) => j.state)).toEqual(['RUNNING', 'PAUSED']);
    expect(routine.items[1]).toMatchObject({ offset_lag_total: 816909 });
    expect(routine.items[1]?.timestamp_lag_s).toBeCloseTo(10982, 0);
    expect(ids(routine.issues)).toEqual(['RL-PAUSED']);
  });

  it('comprehensive: 100/100/52 -> 84, FAIR, CRITICAL', async () => {
    const d = await analyzeComprehensive(executor);
    expect([d.health_score, d.level, d.status]).toEqual([84, 'FAIR', 'CRITICAL']);
    expect(d.prioritized_recommendations[0]?.id).toBe('ING-FAILURE-RATE-HIGH');
  });
});

import { describe, expect, it } from 'vitest';
import {
  analyzeIngestion,
  checkLoadJobStatus,
  clusterInfo,
  getFailedLoadJobs,
  getLoadJobs,
  getRoutineLoadJobs,
} from '../src/diagnostics/index.js';
import type { Row } from '../src/executor.js';
import { createPoolExecutor } from '../src/pool-executor.js';
import { type ScenarioData, startSimulator } from '../src/sandbox/index.js';
import { SCENARIOS } from '../src/sandbox/scenarios/index.js';

const loadFailures = SCENARIOS['load-failures'] as ScenarioData;
const insert = (loadFailures.loads.find((r) => r.TYPE === 'INSERT') ?? {}) as Row;

/** Six INSERT jobs that timed out: older versions list batch jobs only, so the failures must be batch loads. */
const failedInserts = Array.from({ length: 6 }, (_, i) => ({
  ...insert,
  ID: 70000 + i,
  JOB_ID: 70000 + i,
  LABEL: `insert_failed_${i}`,
  STATE: 'CANCELLED',
  CREATE_TIME: `2025-06-11 0${i}:30:00`,
  LOAD_START_TIME: `2025-06-11 0${i}:30:00`,
  LOAD_FINISH_TIME: `2025-06-11 0${i}:35:00`,
  ERROR_MSG: '[E1008]Reached timeout=300000ms @10.0.1.12:8060',
}));

/** The load-failures cluster on an older version, without information_schema.routine_load_jobs. */
const older = (version: string, missing: string[] = []): ScenarioData => ({
  ...loadFailures,
  name: `load-failures-${version}`,
  version,
  loads: [...failedInserts, ...loadFailures.loads],
  missing: ['routine_load_jobs', ...missing],
});

async function withCluster<T>(
  scenario: ScenarioData,
  run: (executor: ReturnType<typeof createPoolExecutor>) => Promise<T>,
) {
  const sim = await startSimulator({ scenario });
  const executor = createPoolExecutor({ host: sim.host, port: sim.port, user: 'root' });
  try {
    return await run(executor);
  } finally {
    await executor.close();
    await sim.stop();
  }
}

const statements = (sources: { statement: string; ok: boolean }[]) =>
  sources.filter((s) => s.ok).map((s) => s.statement);

describe.each([
  ['3.2.11-4d8a9f1', 'legacy', 'information_schema.loads', 'information_schema.loads'],
  ['3.0.9-5e3c1a7', 'show_load', 'SHOW LOAD FROM `sales`', 'SHOW LOAD'],
] as const)('StarRocks %s: loads from the %s layout', (version, layout, loadStatement, labelSource) => {
  it('detects the layout together with the architecture', async () => {
    await withCluster(older(version), async (executor) => {
      expect(await clusterInfo(executor)).toMatchObject({ version, loads: layout, architecture: 'shared_nothing' });
    });
  });

  it('analysis: batch-load failures, routine loads via SHOW ALL ROUTINE LOAD, no history or stream loads (info)', async () => {
    await withCluster(older(version), async (executor) => {
      const d = await analyzeIngestion(executor, 24);
      const ids = d.issues.map((i) => `${i.id}:${i.severity}`);
      expect(ids).toEqual(
        expect.arrayContaining([
          'ING-FREQUENT-FAILURES:warning',
          'ING-RECURRING-ERROR:warning',
          'RL-PAUSED:warning',
          'ING-HISTORY-UNAVAILABLE:info',
          'SOURCE-UNAVAILABLE:info',
        ]),
      );
      expect(ids).not.toContain('ING-FAILURE-RATE-HIGH:critical');
      expect(d.issues.find((i) => i.id === 'ING-RECURRING-ERROR')?.evidence).toMatchObject({
        category: 'timeout',
        count: 6,
      });
      expect(d.metrics).toMatchObject({ loads_source: layout, history_available: false, total: 0 });
      const ran = statements(d.sources);
      expect(ran).toContain("SHOW PROC '/routine_loads'");
      expect(ran).toContain('SHOW ALL ROUTINE LOAD FROM `sales`');
      expect(ran.some((s) => s.includes(loadStatement))).toBe(true);
    });
  });

  it('get_load_jobs, get_failed_load_jobs and check_load_job_status read the same source', async () => {
    await withCluster(older(version), async (executor) => {
      const jobs = await getLoadJobs(executor, 5, 'CANCELLED');
      expect(jobs.items.map((j) => j.label)).toEqual(
        failedInserts
          .slice(-5)
          .reverse()
          .map((r) => r.LABEL),
      );
      expect(jobs.items[0]).toMatchObject({
        type: 'INSERT',
        database: 'sales',
        table: null,
        error_category: 'timeout',
      });
      const failed = await getFailedLoadJobs(executor, 24, 3);
      expect(failed).toMatchObject({ count: 3, total_failed: 6, truncated: true, by_category: { timeout: 6 } });
      const found = await checkLoadJobStatus(executor, 'orders_backfill_20250610');
      expect(found).toMatchObject({ status: 'FOUND', source: labelSource, job: { state: 'FINISHED', type: 'BROKER' } });
      const routine = await getRoutineLoadJobs(executor);
      expect(routine.items.map((j) => `${j.name}:${j.state}`)).toEqual(['kafka_clicks:RUNNING', 'kafka_orders:PAUSED']);
      expect(routine.items[1]).toMatchObject({
        offset_lag_total: 816909,
        error_log_urls: expect.stringContaining('10.0.1.12'),
      });
    });
  });
});

describe('current layout and sections that stay unanswerable', () => {
  it('3.3.8 reads information_schema.loads and routine_load_jobs directly', async () => {
    await withCluster(loadFailures, async (executor) => {
      expect((await clusterInfo(executor)).loads).toBe('current');
      const routine = await getRoutineLoadJobs(executor);
      const ran = statements(routine.sources);
      expect(ran).toHaveLength(2);
      expect(ran).toContainEqual(expect.stringContaining('FROM information_schema.routine_load_jobs'));
    });
  });

  it('without any routine-load source the section degrades to an info issue', async () => {
    await withCluster(older('3.0.9-5e3c1a7', ["'/routine_loads'"]), async (executor) => {
      const d = await analyzeIngestion(executor, 24);
      expect(d.issues).toContainEqual(
        expect.objectContaining({
          id: 'SOURCE-UNAVAILABLE',
          severity: 'info',
          message: expect.stringContaining('Routine load jobs'),
        }),
      );
      expect(d.metrics).toMatchObject({ routine_load_jobs: 0 });
    });
  });
});

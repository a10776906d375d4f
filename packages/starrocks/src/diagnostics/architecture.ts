import { isStatementRejection, type QueryOptions, type StatementExecutor } from '../executor.js';
import { type LoadsLayout, SQL } from './sql.js';
import type { Architecture } from './types.js';

export interface ClusterInfo {
  architecture: Architecture;
  /** From `SELECT current_version()`; null when the function is missing. */
  version: string | null;
  computeNodes: number;
  /** Where loads are read, found by trying the columns rather than by comparing version numbers. */
  loads: LoadsLayout;
  /** How the architecture was decided. */
  detectedBy: 'run_mode' | 'node columns' | 'default';
}

/** The result of `run`, or undefined when StarRocks rejects the statement (other failures still throw). */
export async function unlessRejected<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (isStatementRejection(error)) return undefined;
    throw error;
  }
}

/** Caches one detection per executor; a failed detection is retried on the next call. */
export function perExecutor<T>(
  detect: (executor: StatementExecutor, signal?: AbortSignal) => Promise<T>,
): (executor: StatementExecutor, signal?: AbortSignal) => Promise<T> {
  const cache = new WeakMap<StatementExecutor, Promise<T>>();
  return (executor, signal) => {
    let value = cache.get(executor);
    if (!value) {
      value = detect(executor, signal);
      cache.set(executor, value);
      value.catch(() => cache.delete(executor));
    }
    return value;
  };
}

/** information_schema.loads: current layout (3.3+), the JOB_ID/DATABASE_NAME layout (3.1/3.2), or none. */
async function loadsLayout(executor: StatementExecutor, options: QueryOptions): Promise<LoadsLayout> {
  if (await unlessRejected(() => executor.query(SQL.loadsCurrentLayout, options))) return 'current';
  if (await unlessRejected(() => executor.query(SQL.loadsLegacyLayout, options))) return 'legacy';
  return 'show_load';
}

async function detect(executor: StatementExecutor, signal?: AbortSignal): Promise<ClusterInfo> {
  const options = signal ? { signal } : {};
  const optional = unlessRejected;
  const [versionRows, runModeRows, computeNodeRows, loads] = await Promise.all([
    optional(() => executor.query(SQL.version, options)),
    optional(() => executor.query(SQL.runMode, options)),
    optional(() => executor.query(SQL.computeNodes, options)),
    loadsLayout(executor, options),
  ]);
  const version = versionRows?.[0] ? String(Object.values(versionRows[0])[0] ?? '') || null : null;
  const computeNodes = computeNodeRows?.length ?? 0;
  const runMode = runModeRows?.find((r) => r.Key === 'run_mode')?.Value;
  if (runModeRows) {
    // Before 3.0 the key does not exist: those clusters are shared-nothing.
    return {
      architecture: runMode === 'shared_data' ? 'shared_data' : 'shared_nothing',
      version,
      computeNodes,
      loads,
      detectedBy: runMode ? 'run_mode' : 'default',
    };
  }
  // run_mode denied: shared-data nodes carry StarletPort/WorkerId. Having compute nodes alone
  // proves nothing (shared-nothing clusters may run stateless CNs).
  const backends = await optional(() => executor.query(SQL.backends, options));
  const sharedDataColumns = [...(backends ?? []), ...(computeNodeRows ?? [])].some(
    (r) => 'WorkerId' in r || 'StarletPort' in r,
  );
  return {
    architecture: sharedDataColumns ? 'shared_data' : 'shared_nothing',
    version,
    computeNodes,
    loads,
    detectedBy: sharedDataColumns ? 'node columns' : 'default',
  };
}

/** The cluster's architecture, detected once per executor (a failed detection is retried next call). */
export const clusterInfo = perExecutor(detect);

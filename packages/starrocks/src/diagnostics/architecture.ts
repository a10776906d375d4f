import { OpsError } from '@opsmcp/core';
import type { StatementExecutor } from '../executor.js';
import { SQL } from './sql.js';
import type { Architecture } from './types.js';

export interface ClusterInfo {
  architecture: Architecture;
  /** From `SELECT current_version()`; null when the function is missing. */
  version: string | null;
  computeNodes: number;
  /** How the architecture was decided. */
  detectedBy: 'run_mode' | 'node columns' | 'default';
}

const cache = new WeakMap<StatementExecutor, Promise<ClusterInfo>>();

const rejected = (error: unknown) => error instanceof OpsError && error.code === 'UPSTREAM_ERROR';

async function detect(executor: StatementExecutor, signal?: AbortSignal): Promise<ClusterInfo> {
  const options = signal ? { signal } : {};
  const optional = async <T>(run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      if (rejected(error)) return undefined;
      throw error;
    }
  };
  const [versionRows, runModeRows, computeNodeRows] = await Promise.all([
    optional(() => executor.query(SQL.version, options)),
    optional(() => executor.query(SQL.runMode, options)),
    optional(() => executor.query(SQL.computeNodes, options)),
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
    detectedBy: sharedDataColumns ? 'node columns' : 'default',
  };
}

/** The cluster's architecture, detected once per executor (a failed detection is retried next call). */
export function clusterInfo(executor: StatementExecutor, signal?: AbortSignal): Promise<ClusterInfo> {
  let info = cache.get(executor);
  if (!info) {
    info = detect(executor, signal);
    cache.set(executor, info);
    info.catch(() => cache.delete(executor));
  }
  return info;
}

// StarRocks: analyze_system_comprehensive against each analyze_* expert, with the simulator
// delaying every statement. The comprehensive analysis runs its experts concurrently, so its
// wall time should track the slowest expert, not their sum.
//
// The server's --sandbox has no delay setting, so the benchmark starts the simulator itself with
// a delay and points the server at it (lib/fake-backends.mjs).
import { performance } from 'node:perf_hooks';
import { childEnv } from '../lib/env.mjs';
import { startFakeBackend } from '../lib/fake-backends.mjs';
import { median } from '../lib/stats.mjs';
import { startStdio } from '../lib/stdio-client.mjs';

/** The analyses the comprehensive one runs side by side. */
export const EXPERTS = [
  { tool: 'analyze_storage_health', args: {} },
  { tool: 'analyze_compaction_health', args: {} },
  { tool: 'analyze_ingestion_health', args: {} },
];
/** The ingestion analysis over a fixed 24 h window: timed, but not summed (it would count ingestion twice). */
const ALSO_TIMED = [{ tool: 'analyze_import_health', args: {} }];
const COMPREHENSIVE = { tool: 'analyze_system_comprehensive', args: {} };

export async function measureComprehensive(server, { delayMs, runs, poolSize }) {
  const sim = await startFakeBackend('starrocks', { delayMs });
  const client = startStdio(process.execPath, [server.bin], {
    env: childEnv({ ...sim.env, ...(poolSize ? { SR_POOL_SIZE: String(poolSize) } : {}) }),
  });
  const all = [...EXPERTS, ...ALSO_TIMED, COMPREHENSIVE];
  const times = new Map(all.map((c) => [c.tool, []]));
  try {
    await client.initialize();
    const call = async ({ tool, args }) => {
      const started = performance.now();
      const result = await client.request('tools/call', { name: tool, arguments: args });
      const elapsed = performance.now() - started;
      if (result.isError) throw new Error(`${tool}: ${result.content?.[0]?.text}`);
      return elapsed;
    };
    // One unmeasured round opens the connection pool and warms the code paths.
    for (const c of all) await call(c);
    for (let round = 0; round < runs; round++) {
      const offset = round % all.length;
      for (const c of [...all.slice(offset), ...all.slice(0, offset)]) times.get(c.tool).push(await call(c));
    }
  } finally {
    await client.close();
    await sim.stop();
  }
  const experts = Object.fromEntries([...EXPERTS, ...ALSO_TIMED].map(({ tool }) => [tool, median(times.get(tool))]));
  const [slowestExpert, slowestExpertMs] = Object.entries(experts).sort((a, b) => b[1] - a[1])[0];
  const sumOfExpertsMs = EXPERTS.reduce((sum, { tool }) => sum + experts[tool], 0);
  const comprehensiveMs = median(times.get(COMPREHENSIVE.tool));
  return {
    delayMs,
    runs,
    poolSize: poolSize ?? 'server default',
    expertsMedianMs: experts,
    comprehensiveMs,
    slowestExpert,
    slowestExpertMs,
    sumOfExpertsMs,
    ratioToSlowest: Number((comprehensiveMs / slowestExpertMs).toFixed(2)),
    ratioToSum: Number((comprehensiveMs / sumOfExpertsMs).toFixed(2)),
  };
}

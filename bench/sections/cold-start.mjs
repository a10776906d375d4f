// Cold start: spawn → initialize → tools/list, as an MCP client starts a stdio server. Targets
// are measured alternately, run by run, so a slow patch of the machine hits all of them alike.
import { performance } from 'node:perf_hooks';
import { median } from '../lib/stats.mjs';
import { startStdio } from '../lib/stdio-client.mjs';

export async function coldStartOnce(target) {
  const started = performance.now();
  const client = startStdio(target.command, target.args, { env: target.env });
  try {
    await client.initialize();
    const initialized = performance.now();
    const list = await client.request('tools/list');
    const listed = performance.now();
    return { initializeMs: initialized - started, totalMs: listed - started, tools: list.tools.length };
  } finally {
    await client.close();
  }
}

/**
 * Median cold start of every target over `runs` alternating rounds (after one unmeasured round
 * that warms the file cache).
 */
export async function measureColdStarts(targets, { runs, onProgress }) {
  const samples = new Map(targets.map((t) => [t.id, { totalMs: [], initializeMs: [], tools: 0 }]));
  for (let round = -1; round < runs; round++) {
    // Rotate the order each round so no target always runs right after another.
    const offset = round < 0 ? 0 : round % targets.length;
    const order = [...targets.slice(offset), ...targets.slice(0, offset)];
    for (const target of order) {
      const run = await coldStartOnce(target);
      if (round < 0) continue;
      const s = samples.get(target.id);
      s.totalMs.push(run.totalMs);
      s.initializeMs.push(run.initializeMs);
      s.tools = run.tools;
    }
    if (round >= 0) onProgress?.(round + 1, runs);
  }
  const result = {};
  for (const target of targets) {
    const s = samples.get(target.id);
    result[target.id] = {
      runs: s.totalMs.length,
      medianMs: median(s.totalMs),
      medianInitializeMs: median(s.initializeMs),
      minMs: Math.min(...s.totalMs),
      maxMs: Math.max(...s.totalMs),
      tools: s.tools,
    };
  }
  return result;
}

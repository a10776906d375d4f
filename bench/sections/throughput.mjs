// HTTP throughput: closed-loop load from N concurrent clients. Every target runs as its own
// server process for the whole measurement; the load visits them in turn, in slices, so a busy
// moment on the machine falls on every target alike. Each target gets the same total time.

import { LoadRun } from '../lib/http-client.mjs';
import { startHttpServer } from '../lib/http-server.mjs';

/**
 * targets: [{ id, target, tool }] → { [id]: { requests, rps, p50, p99, errors } }.
 * `slices` turns of durationMs / slices each, after one warm-up turn of warmupMs per target.
 */
export async function measureThroughput(targets, { clients, durationMs, warmupMs, stateful, slices }) {
  const servers = [];
  const runs = [];
  try {
    for (const { id, target, tool } of targets) {
      const server = await startHttpServer(target.command, target.args, { env: target.env });
      servers.push(server);
      const run = new LoadRun({ url: server.url, clients, stateful, tool: tool.name, args: tool.args });
      await run.open();
      runs.push({ id, run });
    }
    for (const { run } of runs) await run.drive(warmupMs, { measure: false });
    for (let slice = 0; slice < slices; slice++) {
      // Rotate who goes first, so no target always follows the same one.
      const order = [...runs.slice(slice % runs.length), ...runs.slice(0, slice % runs.length)];
      for (const { run } of order) await run.drive(durationMs / slices, { measure: true });
    }
    const results = {};
    for (const { id, run } of runs) {
      results[id] = run.result();
      await run.close();
    }
    return results;
  } finally {
    for (const { run } of runs) run.destroy();
    await Promise.all(servers.map((server) => server.stop()));
  }
}

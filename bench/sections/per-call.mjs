// Per-call round trip of one cheap tool: sequential calls from one client, over stdio and over
// Streamable HTTP (a stateful session on a keep-alive socket). All targets of a transport are
// started together and called in alternating blocks, so a busy moment on the machine falls on
// every target alike.
import { performance } from 'node:perf_hooks';
import { createAgent, HttpMcpClient } from '../lib/http-client.mjs';
import { startHttpServer } from '../lib/http-server.mjs';
import { summarize } from '../lib/stats.mjs';
import { startStdio } from '../lib/stdio-client.mjs';

const BLOCK = 100;

function checked(tool, result) {
  if (result?.isError) throw new Error(`${tool} returned an error: ${result.content?.[0]?.text}`);
  return result;
}

/**
 * `calls` measured calls per target after `warmup` unmeasured ones, in blocks of BLOCK taking
 * turns. A slow target stops early, once it has spent `maxMs` measuring (and `maxMs / 5`
 * warming up); the others go on.
 */
async function interleave(entries, { calls, warmup, maxMs = Number.POSITIVE_INFINITY }) {
  for (const entry of entries) {
    const warmUntil = performance.now() + maxMs / 5;
    for (let i = 0; i < warmup && performance.now() < warmUntil; i++) await entry.call();
    entry.latencies = [];
    entry.spentMs = 0;
  }
  const active = () => entries.filter((e) => e.latencies.length < calls && e.spentMs < maxMs);
  for (let open = active(); open.length > 0; open = active()) {
    for (const entry of open) {
      const blockStart = performance.now();
      for (let i = 0; i < BLOCK && entry.latencies.length < calls; i++) {
        const began = performance.now();
        await entry.call();
        entry.latencies.push(performance.now() - began);
        if (performance.now() - blockStart + entry.spentMs >= maxMs) break;
      }
      entry.spentMs += performance.now() - blockStart;
    }
  }
  return Object.fromEntries(entries.map((e) => [e.id, summarize(e.latencies)]));
}

/** targets: [{ id, target, tool: { name, args } }] → { [id]: { n, p50, p99, min, max } } over stdio. */
export async function measureStdioCalls(targets, options) {
  const clients = [];
  try {
    const entries = [];
    for (const { id, target, tool } of targets) {
      const client = startStdio(target.command, target.args, { env: target.env });
      clients.push(client);
      await client.initialize();
      await client.request('tools/list');
      entries.push({
        id,
        call: async () =>
          checked(tool.name, await client.request('tools/call', { name: tool.name, arguments: tool.args })),
      });
    }
    return await interleave(entries, options);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

/** The same over Streamable HTTP: one stateful session per target on a keep-alive socket. */
export async function measureHttpCalls(targets, options) {
  const servers = [];
  try {
    const entries = [];
    for (const { id, target, tool } of targets) {
      const server = await startHttpServer(target.command, target.args, { env: target.env });
      servers.push(server);
      const client = new HttpMcpClient(server.url, { agent: createAgent(1) });
      await client.initialize();
      await client.request('tools/list');
      entries.push({ id, client, call: () => client.callTool(tool.name, tool.args) });
    }
    const stats = await interleave(entries, options);
    for (const entry of entries) {
      await entry.client.close();
      entry.client.agent.destroy();
    }
    return stats;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

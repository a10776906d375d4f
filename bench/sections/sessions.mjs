// Memory per stateful HTTP session: RSS and live heap (after a full GC) before opening N
// sessions, with them open, after closing them all with DELETE, and after a second round of
// opening and closing N (a leak grows the heap again; one-off growth does not).
import { fileURLToPath } from 'node:url';
import { createAgent, HttpMcpClient } from '../lib/http-client.mjs';
import { startHttpServer } from '../lib/http-server.mjs';

const probe = fileURLToPath(new URL('../lib/gc-probe.mjs', import.meta.url));

/** Runs the server under node with the GC probe preloaded; returns a function that samples memory. */
async function startProbed(target) {
  if (target.command !== process.execPath) throw new Error(`${target.id}: memory probe needs a node target`);
  const samples = [];
  const waiters = [];
  const server = await startHttpServer(
    target.command,
    ['--expose-gc', '--import', new URL(`file://${probe}`).href, ...target.args],
    {
      env: target.env,
      onStderrLine: (line) => {
        if (!line.includes('"benchMemory"')) return;
        const sample = JSON.parse(line).benchMemory;
        const waiter = waiters.shift();
        if (waiter) waiter(sample);
        else samples.push(sample);
      },
    },
  );
  const sample = async () => {
    // Let closed sockets and timers settle before collecting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const next = new Promise((resolve) => waiters.push(resolve));
    server.child.kill('SIGUSR2');
    return Promise.race([
      next,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no memory sample from the probe')), 10_000)),
    ]);
  };
  return { server, sample };
}

async function healthSessions(base) {
  const response = await fetch(`${base}/health`);
  const body = await response.json();
  return typeof body.sessions === 'number' ? body.sessions : null;
}

/** Runs `task` over `items` with at most `concurrency` at once. */
async function eachLimited(items, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

async function openSessions(url, agent, count, concurrency) {
  const clients = Array.from({ length: count }, () => new HttpMcpClient(url, { agent }));
  await eachLimited(clients, concurrency, (client) => client.initialize());
  return clients;
}

const closeSessions = (clients, concurrency) => eachLimited(clients, concurrency, (client) => client.close());

async function openAndClose(url, agent, count, concurrency) {
  await closeSessions(await openSessions(url, agent, count, concurrency), concurrency);
}

export async function measureSessions(target, { sessions, concurrency = 16 }) {
  const { server, sample } = await startProbed(target);
  const agent = createAgent(concurrency);
  try {
    // A first round of sessions opened and closed before measuring, so state built once on
    // first use (schemas, modules, JIT code, socket and parser pools) is not counted per session.
    const first = new HttpMcpClient(server.url, { agent });
    await first.initialize();
    await first.request('tools/list');
    await first.close();
    await openAndClose(server.url, agent, Math.min(100, sessions), concurrency);
    const before = await sample();

    const clients = await openSessions(server.url, agent, sessions, concurrency);
    const opened = await sample();
    const openCount = await healthSessions(server.base);
    await closeSessions(clients, concurrency);
    const closed = await sample();
    const closedCount = await healthSessions(server.base);
    // A second full round: what a leak would add again, whereas one-off growth (caches, code)
    // shows up only in the first.
    await openAndClose(server.url, agent, sessions, concurrency);
    const again = await sample();
    const againCount = await healthSessions(server.base);

    const kib = (bytes) => bytes / 1024;
    return {
      sessions,
      rssBeforeMiB: before.rss / 2 ** 20,
      rssOpenMiB: opened.rss / 2 ** 20,
      rssClosedMiB: closed.rss / 2 ** 20,
      rssPerSessionKiB: kib(opened.rss - before.rss) / sessions,
      heapPerSessionKiB: kib(opened.heapUsed - before.heapUsed) / sessions,
      heapRetainedAfterCloseKiB: kib(closed.heapUsed - before.heapUsed),
      rssRetainedAfterCloseMiB: (closed.rss - before.rss) / 2 ** 20,
      sessionsReportedOpen: openCount,
      sessionsReportedAfterClose: closedCount,
      heapGrowthSecondRoundKiB: kib(again.heapUsed - closed.heapUsed),
      sessionsReportedAfterSecondRound: againCount,
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

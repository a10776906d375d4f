// `pnpm bench`: startup, per-call overhead, HTTP throughput, memory per session and idle memory
// of every built opsmcp server (against its own fake backend, on 127.0.0.1 only), each as a ratio
// against a minimal @modelcontextprotocol/sdk server measured in the same run. Prints a table, writes
// bench/results.json. Goals are printed beside the figures; missing one does not fail the run.
// See docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { envList, envNumber, envOptionalNumber } from './lib/env.mjs';
import { startFakeBackend } from './lib/fake-backends.mjs';
import { ratio, round } from './lib/stats.mjs';
import { measureColdStarts } from './sections/cold-start.mjs';
import { measureComprehensive } from './sections/comprehensive.mjs';
import { measureIdleRss } from './sections/idle-rss.mjs';
import { measureKubectl } from './sections/kubectl.mjs';
import { measureLookups } from './sections/lookups.mjs';
import { measureHttpCalls, measureStdioCalls } from './sections/per-call.mjs';
import { measureRemote } from './sections/remote.mjs';
import { measureSessions } from './sections/sessions.mjs';
import { measureSqlGuard } from './sections/sql-guard.mjs';
import { measureThroughput } from './sections/throughput.mjs';
import {
  BASELINE_TOOL,
  baselines,
  buildBundledBaseline,
  buildFixture,
  FIXTURE,
  httpTarget,
  presentServers,
  ROOT,
  SERVERS,
  stdioTarget,
} from './targets.mjs';

const config = {
  coldStartRuns: envNumber('BENCH_RUNS', 15),
  calls: envNumber('BENCH_CALLS', 2000),
  // A slow tool stops after this many seconds of calls, whatever BENCH_CALLS says.
  callSeconds: envNumber('BENCH_CALL_SECONDS', 10),
  warmupCalls: envNumber('BENCH_WARMUP_CALLS', 200),
  clients: envNumber('BENCH_CLIENTS', 32),
  loadSeconds: envNumber('BENCH_LOAD_SECONDS', 10),
  loadWarmupSeconds: envNumber('BENCH_LOAD_WARMUP_SECONDS', 2),
  // Each target's load time is cut into this many slices, taken in turns with the others.
  loadSlices: envNumber('BENCH_LOAD_SLICES', 5),
  sessions: envNumber('BENCH_SESSIONS', 1000),
  starrocksDelayMs: envNumber('BENCH_SR_DELAY_MS', 50),
  starrocksRuns: envNumber('BENCH_SR_RUNS', 9),
  // SR_POOL_SIZE for the comprehensive section only; unset keeps the server's default.
  starrocksPoolSize: envOptionalNumber('BENCH_SR_POOL_SIZE'),
  // Checks per statement shape in the SQL guard section.
  sqlGuardRuns: envNumber('BENCH_SQL_GUARD_RUNS', 30),
  lookupRuns: envNumber('BENCH_LOOKUP_RUNS', 15),
  kubectlCalls: envNumber('BENCH_KUBECTL_CALLS', 200),
};
const SECTIONS = [
  'cold',
  'calls',
  'load',
  'sessions',
  'rss',
  'comprehensive',
  'remote',
  'sqlGuard',
  'lookups',
  'kubectl',
];
const only = envList('BENCH_ONLY');
for (const name of only) if (!SECTIONS.includes(name)) throw new Error(`BENCH_ONLY: unknown section ${name}`);
const runs = (section) => only.length === 0 || only.includes(section);

const GOALS = {
  coldStartRatio: 0.8,
  coldStartLimit: 1.3,
  stdioAddedP50Ms: 1,
  statelessRatio: 1.5,
  statefulRatio: 1.0,
  sessionKiB: 80,
  idleRssMiB: 70,
  comprehensiveRatio: 1.5,
  remoteRoundTripsPerExpert: 1,
  sqlGuardMs: 5,
  lookupsRatio: 1.2,
  kubectlAddedMs: 2,
};

const progress = (message) => console.error(`· ${message}`);
const benchStarted = performance.now();

// Which servers: the built ones and the core test fixture, which shows what core alone costs
// (its tools answer from memory). BENCH_SERVERS=a,b runs only those.
const built = presentServers();
const wanted = envList('BENCH_SERVERS');
const known = [...SERVERS.map((s) => s.id), FIXTURE.id];
for (const id of wanted) if (!known.includes(id)) throw new Error(`BENCH_SERVERS: unknown server ${id} (${known})`);
for (const id of wanted) {
  if (id !== FIXTURE.id && !built.some((s) => s.id === id)) {
    throw new Error(`${id} is not built: run pnpm --filter @opsmcp/${id} build`);
  }
}
const servers = [...built, FIXTURE].filter((s) => wanted.length === 0 || wanted.includes(s.id));
for (const server of SERVERS) if (!built.includes(server)) progress(`${server.id}: not built (${server.bin}), skipped`);

if (servers.includes(FIXTURE)) {
  progress('bundling the core test fixture');
  await buildFixture();
}
const bundledBaselineFile = runs('cold') ? await buildBundledBaseline() : undefined;

const results = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    root: ROOT,
  },
  config,
  goals: GOALS,
  baseline: {},
  servers: Object.fromEntries(
    servers.map((s) => [
      s.id,
      {
        title: s.title,
        bin: s.bin,
        fake: s.fake ? `its ${s.fake} fake in a separate process, reached through its settings` : 'its --sandbox',
      },
    ]),
  ),
};

// Zero-delay fake backends, out of the servers' processes, for the servers that have one.
const fakes = new Map();
try {
  if (['cold', 'calls', 'load', 'sessions', 'rss'].some(runs)) {
    for (const s of servers.filter((server) => server.fake)) {
      progress(`${s.id}: starting its fake backend`);
      fakes.set(s.id, await startFakeBackend(s.fake));
    }
  }
} catch (error) {
  for (const fake of fakes.values()) await fake.stop();
  throw error;
}

/** How a server reaches its zero-latency fake: settings pointing at the external fake, else --sandbox. */
const fakeArgs = (s) => (fakes.has(s.id) ? { args: [], env: fakes.get(s.id).env } : { args: s.sandboxArgs, env: {} });
const configuredId = (s) => (fakes.has(s.id) ? `${s.id} (external fake)` : `${s.id} (configured)`);

try {
  // --- Cold start: every server with --sandbox; and pointed at its external fake through its
  // settings, which is what a user's start costs (no fake backend to start in-process).
  if (runs('cold')) {
    const targets = [
      baselines.stdio(),
      baselines.bundledStdio(bundledBaselineFile),
      ...servers.map((s) => stdioTarget(s.id, s.bin, s.sandboxArgs)),
      ...servers
        .filter((s) => fakes.has(s.id))
        .map((s) => stdioTarget(configuredId(s), s.bin, [], fakes.get(s.id).env)),
      // Servers without an external fake start configured as a user's would: credentials set,
      // nothing contacted before a tool is called.
      ...servers
        .filter((s) => !fakes.has(s.id) && s.configuredEnv)
        .map((s) => stdioTarget(configuredId(s), s.bin, [], s.configuredEnv)),
    ];
    progress(`cold start: ${targets.length} targets × ${config.coldStartRuns} runs, alternating`);
    const cold = await measureColdStarts(targets, {
      runs: config.coldStartRuns,
      onProgress: (done, total) => {
        if (done % 5 === 0 || done === total) progress(`cold start: round ${done}/${total}`);
      },
    });
    const base = cold.baseline.medianMs;
    results.baseline.coldStart = cold.baseline;
    results.baseline.coldStartBundled = {
      ...cold['baseline-bundled'],
      ratio: ratio(cold['baseline-bundled'].medianMs, base),
    };
    for (const s of servers) {
      results.servers[s.id].coldStart = { ...cold[s.id], ratio: ratio(cold[s.id].medianMs, base) };
      const configured = cold[configuredId(s)];
      if (configured)
        results.servers[s.id].coldStartConfigured = { ...configured, ratio: ratio(configured.medianMs, base) };
    }
  }

  // --- Per-call overhead: each server's cheap tool on its external fake (or its sandbox) against
  // the baseline's echo, interleaved; plus the same call over --sandbox on stdio for reference.
  if (runs('calls')) {
    const options = { calls: config.calls, warmup: config.warmupCalls, maxMs: config.callSeconds * 1000 };
    const stdioTargets = [{ id: 'baseline', target: baselines.stdio(), tool: BASELINE_TOOL }];
    const httpTargets = [{ id: 'baseline', target: baselines.httpStateful(), tool: BASELINE_TOOL }];
    for (const s of servers) {
      const { args, env } = fakeArgs(s);
      stdioTargets.push({ id: s.id, target: stdioTarget(s.id, s.bin, args, env), tool: s.cheapTool });
      httpTargets.push({ id: s.id, target: httpTarget(s.id, s.bin, args, env), tool: s.cheapTool });
      if (fakes.has(s.id)) {
        stdioTargets.push({
          id: `${s.id} --sandbox`,
          target: stdioTarget(s.id, s.bin, s.sandboxArgs),
          tool: s.cheapTool,
        });
      }
    }
    progress(`per call over stdio: ${stdioTargets.map((t) => t.id).join(', ')} (${config.calls} calls each)`);
    const stdio = await measureStdioCalls(stdioTargets, options);
    progress(`per call over HTTP: ${httpTargets.map((t) => t.id).join(', ')}`);
    const http = await measureHttpCalls(httpTargets, options);
    results.baseline.perCall = { tool: BASELINE_TOOL.name, stdio: stdio.baseline, http: http.baseline };
    const added = (stats, base) => ({ ...stats, addedP50Ms: stats.p50 - base.p50, addedP99Ms: stats.p99 - base.p99 });
    for (const s of servers) {
      results.servers[s.id].perCall = {
        tool: s.cheapTool.name,
        backend: fakes.has(s.id) ? 'external fake' : '--sandbox',
        stdio: added(stdio[s.id], stdio.baseline),
        http: added(http[s.id], http.baseline),
        ...(stdio[`${s.id} --sandbox`] ? { sandboxStdio: added(stdio[`${s.id} --sandbox`], stdio.baseline) } : {}),
      };
    }
  }

  // --- HTTP throughput, stateless then stateful, every target in alternating slices
  if (runs('load')) {
    const load = {
      clients: config.clients,
      durationMs: config.loadSeconds * 1000,
      warmupMs: config.loadWarmupSeconds * 1000,
      slices: config.loadSlices,
    };
    for (const mode of ['stateless', 'stateful']) {
      const stateful = mode === 'stateful';
      const targets = [
        {
          id: 'baseline',
          target: stateful ? baselines.httpStateful() : baselines.httpStateless(),
          tool: BASELINE_TOOL,
        },
        ...servers.map((s) => {
          const { args, env } = fakeArgs(s);
          return {
            id: s.id,
            target: httpTarget(s.id, s.bin, [...(stateful ? [] : ['--stateless']), ...args], env),
            tool: s.cheapTool,
          };
        }),
      ];
      progress(
        `throughput ${mode}: ${targets.map((t) => t.id).join(', ')}; ${config.clients} clients, ${config.loadSeconds} s each in ${config.loadSlices} slices`,
      );
      const measured = await measureThroughput(targets, { ...load, stateful });
      results.baseline.throughput ??= {};
      results.baseline.throughput[mode] = measured.baseline;
      for (const s of servers) {
        results.servers[s.id].throughput ??= {};
        results.servers[s.id].throughput[mode] = {
          ...measured[s.id],
          ratio: ratio(measured[s.id].rps, measured.baseline.rps),
        };
      }
    }
  }

  // --- Memory per stateful session
  if (runs('sessions')) {
    const count = config.sessions;
    // One benchmark client opens them all: raise the per-caller quota (100) with the session cap.
    const capArgs = [
      ...(count > 1000 ? ['--max-sessions', String(count)] : []),
      ...(count > 100 ? ['--max-sessions-per-caller', String(count)] : []),
      // The sessions are opened and then held without calls while memory is read.
      '--session-init-idle-ms',
      '600000',
    ];
    progress(`sessions: baseline, ${count} stateful sessions`);
    results.baseline.sessions = await measureSessions(baselines.httpStateful(), { sessions: count });
    for (const s of servers) {
      progress(`sessions: ${s.id}, ${count} stateful sessions`);
      const { args, env } = fakeArgs(s);
      results.servers[s.id].sessions = await measureSessions(httpTarget(s.id, s.bin, [...capArgs, ...args], env), {
        sessions: count,
      });
    }
  }

  // --- Idle RSS (with --sandbox, and pointed at the external fake)
  if (runs('rss')) {
    progress('idle RSS after tools/list');
    results.baseline.idleRss = await measureIdleRss(baselines.stdio());
    for (const s of servers) {
      results.servers[s.id].idleRss = await measureIdleRss(stdioTarget(s.id, s.bin, s.sandboxArgs));
      if (fakes.has(s.id)) {
        results.servers[s.id].idleRssConfigured = await measureIdleRss(
          stdioTarget(s.id, s.bin, [], fakes.get(s.id).env),
        );
      }
    }
  }

  // --- StarRocks: the comprehensive analysis against its experts, every statement delayed
  if (runs('comprehensive')) {
    for (const s of servers.filter((server) => server.comprehensive)) {
      progress(`${s.id}: analyze_system_comprehensive vs each expert, ${config.starrocksDelayMs} ms per statement`);
      results.servers[s.id].comprehensive = await measureComprehensive(s, {
        delayMs: config.starrocksDelayMs,
        runs: config.starrocksRuns,
        poolSize: config.starrocksPoolSize,
      });
    }
  }

  // --- StarRocks remote mode: the experts through a tenant's agent, round trips counted
  if (runs('remote')) {
    for (const s of servers.filter((server) => server.remote)) {
      progress(`${s.id}: experts through an agent (remote mode), ${config.starrocksDelayMs} ms per statement`);
      results.servers[s.id].remote = await measureRemote(s, {
        delayMs: config.starrocksDelayMs,
        runs: config.starrocksRuns,
      });
    }
  }

  // --- StarRocks: read_query's SQL guard on the longest and most complex statements it accepts
  if (runs('sqlGuard')) {
    for (const s of servers.filter((server) => server.sqlGuard)) {
      progress(`${s.id}: SQL guard worst case, ${config.sqlGuardRuns} checks per statement shape`);
      results.servers[s.id].sqlGuard = await measureSqlGuard(s, { runs: config.sqlGuardRuns });
    }
  }

  // --- Multicloud: get_instance_info by IP with four providers against the slowest one alone
  if (runs('lookups')) {
    for (const s of servers.filter((server) => server.lookups)) {
      progress(`${s.id}: get_instance_info by IP, each provider alone then all four, ${config.lookupRuns} calls each`);
      results.servers[s.id].lookups = await measureLookups(s, { runs: config.lookupRuns });
    }
  }

  // --- ACK: kubectl get pods through the server against a direct client-node call
  if (runs('kubectl')) {
    for (const s of servers.filter((server) => server.kubectl)) {
      progress(`${s.id}: kubectl get pods, through the server and directly, ${config.kubectlCalls} calls × 3 rounds`);
      results.servers[s.id].kubectl = await measureKubectl(s, {
        calls: config.kubectlCalls,
        warmup: Math.min(20, config.kubectlCalls),
      });
    }
  }
} finally {
  for (const fake of fakes.values()) await fake.stop();
}

results.meta.durationSeconds = round((performance.now() - benchStarted) / 1000, 1);
results.verdicts = verdicts(results);
const resultsFile = join(ROOT, 'bench', 'results.json');
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(report(results));
console.log(`\nwritten ${resultsFile} (${results.meta.durationSeconds} s)`);

// --- Goals and the table

function verdicts(r) {
  const out = [];
  const add = (server, metric, value, goal, met, note) => out.push({ server, metric, value, goal, met, note });
  for (const [id, s] of Object.entries(r.servers)) {
    if (s.coldStart?.ratio != null) {
      const v = s.coldStart.ratio;
      add(
        id,
        'cold start ratio',
        v,
        `≤ ${GOALS.coldStartRatio}× (never > ${GOALS.coldStartLimit}×)`,
        v <= GOALS.coldStartRatio,
        v > GOALS.coldStartLimit ? `above the ${GOALS.coldStartLimit}× limit` : undefined,
      );
    }
    if (s.perCall) {
      const v = s.perCall.stdio.addedP50Ms;
      add(
        id,
        'stdio p50 added per call (ms)',
        round(v, 3),
        `≤ ${GOALS.stdioAddedP50Ms} ms`,
        v <= GOALS.stdioAddedP50Ms,
      );
    }
    if (s.throughput?.stateless) {
      const v = s.throughput.stateless.ratio;
      add(id, 'stateless req/s ratio', v, `≥ ${GOALS.statelessRatio}×`, v >= GOALS.statelessRatio);
    }
    if (s.throughput?.stateful) {
      const v = s.throughput.stateful.ratio;
      add(id, 'stateful req/s ratio', v, `≥ ${GOALS.statefulRatio}×`, v >= GOALS.statefulRatio);
    }
    if (s.sessions) {
      const v = s.sessions.rssPerSessionKiB;
      add(id, 'RSS per session (KiB)', round(v, 1), `≤ ${GOALS.sessionKiB} KiB`, v <= GOALS.sessionKiB);
      // Nothing retained: every session gone from the server's count, and a second round of N
      // sessions opened and closed leaves the live heap where the first left it (< 1 KiB/session).
      const leakPerSession = s.sessions.heapGrowthSecondRoundKiB / s.sessions.sessions;
      const stillOpen = s.sessions.sessionsReportedAfterClose || s.sessions.sessionsReportedAfterSecondRound;
      add(
        id,
        'heap kept per closed session (KiB)',
        round(leakPerSession, 3),
        '≈ 0 (< 1 KiB)',
        !stillOpen && leakPerSession < 1,
        stillOpen ? `${stillOpen} sessions still open after closing` : undefined,
      );
    }
    if (s.idleRss?.medianMiB != null) {
      const v = s.idleRss.medianMiB;
      add(id, 'idle RSS (MiB)', round(v, 1), `≤ ${GOALS.idleRssMiB} MiB`, v <= GOALS.idleRssMiB);
    }
    if (s.comprehensive?.ratioToSlowest != null) {
      const v = s.comprehensive.ratioToSlowest;
      add(id, 'comprehensive / slowest expert', v, `≤ ${GOALS.comprehensiveRatio}×`, v <= GOALS.comprehensiveRatio);
    }
    if (s.remote?.roundTripsPerExpert != null) {
      const v = s.remote.roundTripsPerExpert;
      const goal = GOALS.remoteRoundTripsPerExpert;
      add(id, 'agent round trips per expert, comprehensive', v, `≤ ${goal}`, v <= goal);
    }
    if (s.sqlGuard?.longestWorstP50Ms != null) {
      const v = s.sqlGuard.longestWorstP50Ms;
      add(id, 'SQL guard, longest statement (ms)', v, `≤ ${GOALS.sqlGuardMs} ms`, v <= GOALS.sqlGuardMs);
    }
    if (s.kubectl?.addedP50Ms != null) {
      const v = s.kubectl.addedP50Ms;
      add(id, 'kubectl get pods, added p50 (ms)', v, `≤ ${GOALS.kubectlAddedMs} ms`, v <= GOALS.kubectlAddedMs);
    }
    if (s.lookups?.ratioToSlowest != null) {
      const v = s.lookups.ratioToSlowest;
      add(id, 'lookup by IP, four providers / slowest alone', v, `≤ ${GOALS.lookupsRatio}×`, v <= GOALS.lookupsRatio);
    }
  }
  return out;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows.map((row) =>
    row
      .map((cell, i) => String(cell).padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

function report(r) {
  const ms = (v) => (v == null || !Number.isFinite(v) ? '—' : `${v.toFixed(v < 10 ? 2 : 0)} ms`);
  const x = (v) => (v == null ? '—' : `${v.toFixed(2)}×`);
  const mib = (v) => (v == null ? '—' : `${v.toFixed(1)} MiB`);
  const signed = (v) => (v == null || !Number.isFinite(v) ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(3)} ms`);
  // A slow tool is cut off by BENCH_CALL_SECONDS: say how many calls the percentiles rest on.
  const calls = (stats) => (stats.n < r.config.calls ? ` (${stats.n} calls)` : '');
  const lines = [];
  const b = r.baseline;
  lines.push('', `opsmcp benchmarks — ${r.meta.date}, Node ${r.meta.node}, ${r.meta.cpus} CPUs (${r.meta.cpuModel})`);
  lines.push('Baseline: a minimal @modelcontextprotocol/sdk McpServer with one echo tool (bench/baseline/), same run.');
  const rows = [['server', 'measure', 'value', 'baseline', 'vs baseline', 'goal', '']];
  const verdictFor = (id, metric) => {
    const v = r.verdicts.find((x) => x.server === id && x.metric === metric);
    if (!v) return '';
    return v.met ? 'met' : `MISSED${v.note ? ` (${v.note})` : ''}`;
  };
  if (b.coldStart) {
    rows.push([
      'baseline',
      'cold start, bundled with esbuild',
      ms(b.coldStartBundled.medianMs),
      ms(b.coldStart.medianMs),
      x(b.coldStartBundled.ratio),
      'reference',
      '',
    ]);
  }
  for (const [id, s] of Object.entries(r.servers)) {
    if (s.coldStart) {
      rows.push([
        id,
        `cold start (median of ${s.coldStart.runs})`,
        ms(s.coldStart.medianMs),
        ms(b.coldStart.medianMs),
        x(s.coldStart.ratio),
        `≤ ${GOALS.coldStartRatio}×, never > ${GOALS.coldStartLimit}×`,
        verdictFor(id, 'cold start ratio'),
      ]);
    }
    if (s.coldStartConfigured) {
      rows.push([
        id,
        SERVERS.find((server) => server.id === id)?.fake
          ? 'cold start, external fake (no --sandbox)'
          : 'cold start, configured (no --sandbox, nothing contacted)',
        ms(s.coldStartConfigured.medianMs),
        ms(b.coldStart.medianMs),
        x(s.coldStartConfigured.ratio),
        'reference',
        '',
      ]);
    }
    if (s.perCall) {
      const p = s.perCall;
      rows.push([
        id,
        `${p.tool} stdio p50 / p99${calls(p.stdio)}`,
        `${ms(p.stdio.p50)} / ${ms(p.stdio.p99)}`,
        `${ms(b.perCall.stdio.p50)} / ${ms(b.perCall.stdio.p99)}`,
        `${signed(p.stdio.addedP50Ms)} p50`,
        `≤ +${GOALS.stdioAddedP50Ms} ms p50`,
        verdictFor(id, 'stdio p50 added per call (ms)'),
      ]);
      rows.push([
        id,
        `${p.tool} HTTP p50 / p99${calls(p.http)}`,
        `${ms(p.http.p50)} / ${ms(p.http.p99)}`,
        `${ms(b.perCall.http.p50)} / ${ms(b.perCall.http.p99)}`,
        `${signed(p.http.addedP50Ms)} p50`,
        '',
        '',
      ]);
      if (p.sandboxStdio) {
        rows.push([
          id,
          `${p.tool} stdio, fake in-process (--sandbox)${calls(p.sandboxStdio)}`,
          `${ms(p.sandboxStdio.p50)} / ${ms(p.sandboxStdio.p99)}`,
          `${ms(b.perCall.stdio.p50)} / ${ms(b.perCall.stdio.p99)}`,
          `${signed(p.sandboxStdio.addedP50Ms)} p50`,
          'reference',
          '',
        ]);
      }
    }
    for (const mode of ['stateless', 'stateful']) {
      const t = s.throughput?.[mode];
      if (!t) continue;
      const base = b.throughput[mode];
      const goal = mode === 'stateless' ? GOALS.statelessRatio : GOALS.statefulRatio;
      rows.push([
        id,
        `HTTP ${mode}, ${r.config.clients} clients: req/s, p99`,
        `${Math.round(t.rps)}/s, ${ms(t.p99)}${t.errors ? `, ${t.errors} errors` : ''}`,
        `${Math.round(base.rps)}/s, ${ms(base.p99)}`,
        x(t.ratio),
        `≥ ${goal}×`,
        verdictFor(id, `${mode} req/s ratio`),
      ]);
    }
    if (s.sessions) {
      const m = s.sessions;
      const bm = b.sessions;
      rows.push([
        id,
        `RSS per session (${m.sessions} open)`,
        `${m.rssPerSessionKiB.toFixed(1)} KiB`,
        `${bm.rssPerSessionKiB.toFixed(1)} KiB`,
        ratio(m.rssPerSessionKiB, bm.rssPerSessionKiB) == null
          ? '—'
          : x(ratio(m.rssPerSessionKiB, bm.rssPerSessionKiB)),
        `≤ ${GOALS.sessionKiB} KiB`,
        verdictFor(id, 'RSS per session (KiB)'),
      ]);
      rows.push([
        id,
        'live heap per open session',
        `${m.heapPerSessionKiB.toFixed(1)} KiB`,
        `${bm.heapPerSessionKiB.toFixed(1)} KiB`,
        x(ratio(m.heapPerSessionKiB, bm.heapPerSessionKiB)),
        '',
        '',
      ]);
      rows.push([
        id,
        'heap kept per closed session (2nd round)',
        `${(m.heapGrowthSecondRoundKiB / m.sessions).toFixed(3)} KiB`,
        `${(bm.heapGrowthSecondRoundKiB / bm.sessions).toFixed(3)} KiB`,
        '',
        'nothing kept (< 1 KiB)',
        verdictFor(id, 'heap kept per closed session (KiB)'),
      ]);
      rows.push([
        id,
        'RSS before / open / closed',
        `${mib(m.rssBeforeMiB)} / ${mib(m.rssOpenMiB)} / ${mib(m.rssClosedMiB)}`,
        `${mib(bm.rssBeforeMiB)} / ${mib(bm.rssOpenMiB)} / ${mib(bm.rssClosedMiB)}`,
        '',
        '',
        '',
      ]);
    }
    if (s.idleRss) {
      rows.push([
        id,
        'idle RSS after tools/list (stdio)',
        mib(s.idleRss.medianMiB),
        mib(b.idleRss?.medianMiB),
        x(ratio(s.idleRss.medianMiB, b.idleRss?.medianMiB)),
        `≤ ${GOALS.idleRssMiB} MiB`,
        verdictFor(id, 'idle RSS (MiB)'),
      ]);
    }
    if (s.idleRssConfigured) {
      rows.push([
        id,
        'idle RSS, external fake (no --sandbox)',
        mib(s.idleRssConfigured.medianMiB),
        mib(b.idleRss?.medianMiB),
        x(ratio(s.idleRssConfigured.medianMiB, b.idleRss?.medianMiB)),
        'reference',
        '',
      ]);
    }
    if (s.comprehensive) {
      const c = s.comprehensive;
      rows.push([
        id,
        `analyze_system_comprehensive, ${c.delayMs} ms/statement`,
        ms(c.comprehensiveMs),
        `slowest expert ${ms(c.slowestExpertMs)} (${c.slowestExpert})`,
        x(c.ratioToSlowest),
        `≤ ${GOALS.comprehensiveRatio}×`,
        verdictFor(id, 'comprehensive / slowest expert'),
      ]);
      rows.push([
        id,
        'comprehensive vs sum of experts',
        ms(c.comprehensiveMs),
        `sum ${ms(c.sumOfExpertsMs)}`,
        x(c.ratioToSum),
        'reference',
        '',
      ]);
    }
    if (s.remote) {
      const r = s.remote;
      rows.push([
        id,
        `comprehensive through an agent, ${r.delayMs} ms/statement`,
        ms(r.medianMs.analyze_system_comprehensive),
        `${r.comprehensiveRoundTrips} round trips for ${r.experts} experts`,
        String(r.roundTripsPerExpert),
        `≤ ${GOALS.remoteRoundTripsPerExpert} per expert`,
        verdictFor(id, 'agent round trips per expert, comprehensive'),
      ]);
    }
    if (s.sqlGuard) {
      const g = s.sqlGuard;
      rows.push([
        id,
        `SQL guard, longest statement (${g.maxChars} chars), worst p50`,
        ms(g.longestWorstP50Ms),
        '',
        '',
        `≤ ${GOALS.sqlGuardMs} ms`,
        verdictFor(id, 'SQL guard, longest statement (ms)'),
      ]);
      rows.push([
        id,
        `SQL guard, most complex statement (${g.maxTokens} tokens), worst p50`,
        ms(g.complexWorstP50Ms),
        '',
        '',
        'reference',
        '',
      ]);
    }
    if (s.kubectl) {
      const k = s.kubectl;
      rows.push([
        id,
        'kubectl get pods (server vs client-node), added p50',
        ms(k.addedP50Ms),
        `server ${ms(k.serverP50Ms)}, direct ${ms(k.directP50Ms)}`,
        '',
        `≤ ${GOALS.kubectlAddedMs} ms`,
        verdictFor(id, 'kubectl get pods, added p50 (ms)'),
      ]);
    }
    if (s.lookups) {
      const l = s.lookups;
      rows.push([
        id,
        'get_instance_info by IP, four providers, p50',
        ms(l.allProvidersP50Ms),
        `slowest alone ${ms(l.slowestSingleP50Ms)}, sum ${ms(l.sumOfSinglesP50Ms)}`,
        x(l.ratioToSlowest),
        `≤ ${GOALS.lookupsRatio}×`,
        verdictFor(id, 'lookup by IP, four providers / slowest alone'),
      ]);
    }
  }
  lines.push('', ...table(rows));
  const missed = r.verdicts.filter((v) => !v.met);
  lines.push(
    '',
    missed.length === 0
      ? 'Every goal met.'
      : `Goals missed: ${missed.map((v) => `${v.server} ${v.metric} (${v.value})`).join('; ')}`,
  );
  lines.push('Goals are design targets; the benchmark does not fail on them.');
  return lines.join('\n');
}

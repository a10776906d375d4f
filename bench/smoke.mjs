// `pnpm bench:smoke`: the whole benchmark with tiny run counts, so CI notices when a section
// breaks (a section that throws, a server missing from the results) in seconds. It checks that
// the benchmark runs, not what it measures: a missed goal never fails it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { presentServers, SERVERS } from './targets.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SMALL = {
  BENCH_RUNS: '2',
  BENCH_CALLS: '20',
  BENCH_WARMUP_CALLS: '5',
  BENCH_CALL_SECONDS: '2',
  BENCH_CLIENTS: '4',
  BENCH_LOAD_SECONDS: '1',
  BENCH_LOAD_WARMUP_SECONDS: '0.2',
  BENCH_LOAD_SLICES: '1',
  BENCH_SESSIONS: '20',
  BENCH_SR_RUNS: '1',
  BENCH_SR_DELAY_MS: '5',
  BENCH_LOOKUP_RUNS: '2',
  BENCH_KUBECTL_CALLS: '5',
  BENCH_SQL_GUARD_RUNS: '2',
};

const missingBins = SERVERS.filter((s) => !presentServers().includes(s)).map((s) => s.id);
if (missingBins.length > 0) {
  console.error(`bench smoke: not built: ${missingBins.join(', ')} (run pnpm build first)`);
  process.exit(1);
}

const run = spawnSync(process.execPath, [join(ROOT, 'bench/run.mjs')], {
  cwd: ROOT,
  env: { ...process.env, ...SMALL, BENCH_ONLY: '', BENCH_SERVERS: '' },
  stdio: ['ignore', 'inherit', 'inherit'],
  timeout: 600_000,
});
if (run.status !== 0) {
  console.error(`bench smoke: the benchmark exited with ${run.status ?? run.signal}`);
  process.exit(1);
}

const results = JSON.parse(readFileSync(join(ROOT, 'bench/results.json'), 'utf8'));
const problems = [];
const BASELINE_SECTIONS = ['coldStart', 'perCall', 'throughput', 'sessions', 'idleRss'];
const SERVER_SECTIONS = ['coldStart', 'perCall', 'throughput', 'sessions', 'idleRss'];
for (const section of BASELINE_SECTIONS) if (!results.baseline?.[section]) problems.push(`baseline lacks ${section}`);
for (const server of [...SERVERS.map((s) => s.id), 'core-fixture']) {
  const row = results.servers?.[server];
  if (!row) {
    problems.push(`no results for ${server}`);
    continue;
  }
  for (const section of SERVER_SECTIONS) if (!row[section]) problems.push(`${server} lacks ${section}`);
  for (const mode of ['stateless', 'stateful']) {
    if (!row.throughput?.[mode]) problems.push(`${server} lacks throughput ${mode}`);
  }
}
for (const s of SERVERS.filter((server) => server.comprehensive)) {
  if (!results.servers?.[s.id]?.comprehensive) problems.push(`${s.id} lacks comprehensive`);
}
for (const s of SERVERS.filter((server) => server.remote)) {
  if (!results.servers?.[s.id]?.remote) problems.push(`${s.id} lacks remote`);
}
for (const s of SERVERS.filter((server) => server.kubectl)) {
  if (!results.servers?.[s.id]?.kubectl) problems.push(`${s.id} lacks kubectl`);
}
for (const s of SERVERS.filter((server) => server.lookups)) {
  if (!results.servers?.[s.id]?.lookups) problems.push(`${s.id} lacks lookups`);
}
for (const s of SERVERS.filter((server) => server.sqlGuard)) {
  if (!results.servers?.[s.id]?.sqlGuard) problems.push(`${s.id} lacks sqlGuard`);
}
if (problems.length > 0) {
  console.error(`bench smoke: bench/results.json is incomplete:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.error(`bench smoke: every section ran for ${[...SERVERS.map((s) => s.id), 'core-fixture'].join(', ')}`);

// The conformance run described in .ci/conformance.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const CONFORMANCE = 'node_modules/@modelcontextprotocol/conformance/dist/index.js';
const BASELINE = '.ci/conformance-expected-failures.txt';
const RESULTS = '.ci/conformance-results.json';
const ALWAYS_REQUIRED = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];
const START_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 300_000;

const log = (line = '') => process.stdout.write(`${line}\n`);
const writeResults = (passed, failed) =>
  writeFileSync(RESULTS, `${JSON.stringify({ numPassedTests: passed, numFailedTests: failed })}\n`);

/** Baseline lines: `<server|*> <scenario> <why it fails>`; `#` starts a comment. */
function readBaseline() {
  const entries = [];
  const problems = [];
  if (!existsSync(BASELINE)) return { entries, problems };
  readFileSync(BASELINE, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.replace(/#.*$/, '').trim();
      if (!line) return;
      const [server, scenario, ...why] = line.split(/\s+/);
      if (!scenario || why.length === 0) {
        problems.push(`${BASELINE}:${index + 1}: expected "<server|*> <scenario> <why it fails>", got "${raw.trim()}"`);
        return;
      }
      entries.push({ server, scenario, why: why.join(' '), line: index + 1 });
    });
  return { entries, problems };
}

function builtServers() {
  return readdirSync('packages', { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, dir: join('packages', entry.name) }))
    .filter(({ dir }) => existsSync(join(dir, 'dist/bin.js')) && existsSync(join(dir, 'package.json')))
    .filter(({ dir }) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).bin)
    .map((server) => ({ ...server, bin: join(server.dir, 'dist/bin.js') }));
}

/** Starts the server's HTTP transport; resolves once it logs its URL. */
function startServer(bin) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, '--transport', 'http', '--host', '127.0.0.1', '--port', '0', '--sandbox'],
      { stdio: ['ignore', 'ignore', 'pipe'], env: process.env },
    );
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "url" log line within ${START_TIMEOUT_MS} ms; stderr:\n${stderr.slice(-3000)}`));
    }, START_TIMEOUT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-50_000);
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/.exec(stderr);
      if (match && timer) {
        clearTimeout(timer);
        resolve({ child, url: match[1], stderr: () => stderr });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited before listening (code ${code}, signal ${signal}); stderr:\n${stderr.slice(-3000)}`));
    });
  });
}

async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const kill = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(kill);
}

/** The capabilities the server declares in its initialize result (the session is then closed). */
async function capabilitiesOf(url) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'opsmcp-ci', version: '1.0.0' } },
    }),
  });
  const text = await response.text();
  const json = text.trimStart().startsWith('{') ? text : /^data:\s*(.+)$/m.exec(text)?.[1];
  const result = json ? JSON.parse(json).result : undefined;
  if (!result) throw new Error(`initialize: HTTP ${response.status}: ${text.slice(0, 500)}`);
  const session = response.headers.get('mcp-session-id');
  if (session) await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': session } }).catch(() => {});
  return result.capabilities ?? {};
}

function runConformance(url, outputDir) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CONFORMANCE, 'server', '--url', url, '-o', outputDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    const collect = (chunk) => {
      output += chunk;
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      output += `\n(conformance killed after ${RUN_TIMEOUT_MS} ms)`;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: stripVTControlCharacters(output) });
    });
  });
}

/** Scenario verdicts from the conformance SUMMARY: `✓ name: N passed, M failed`. */
function parseSummary(output) {
  const summary = output.slice(output.lastIndexOf('=== SUMMARY ==='));
  const scenarios = new Map();
  for (const match of summary.matchAll(/^([✓✗])\s+([\w.-]+):\s+(\d+) passed, (\d+) failed/gm)) {
    scenarios.set(match[2], match[1] === '✓' && match[4] === '0');
  }
  return scenarios;
}

/** The failing checks of one scenario, from its checks.json in the output directory. */
function failingChecks(outputDir, scenario) {
  const pattern = new RegExp(`^server-${scenario.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{4}-\\d{2}-\\d{2}T`);
  const dir = readdirSync(outputDir).find((name) => pattern.test(name));
  if (!dir || !existsSync(join(outputDir, dir, 'checks.json'))) return ['(no checks.json written for this scenario)'];
  const checks = JSON.parse(readFileSync(join(outputDir, dir, 'checks.json'), 'utf8'));
  return checks
    .filter((check) => check.status === 'FAILURE' || check.status === 'ERROR')
    .map((check) => {
      const details = check.details ? ` details: ${JSON.stringify(check.details).slice(0, 600)}` : '';
      return `${check.id}: ${check.errorMessage ?? check.description}${details}`;
    });
}

const { entries: baseline, problems } = readBaseline();
let passed = 0;
let unexpected = 0;
const notes = [];
for (const problem of problems) {
  log(`baseline error: ${problem}`);
  unexpected += 1;
}

const servers = builtServers();
if (servers.length === 0) {
  log('No server package has dist/bin.js: build first (pnpm build).');
  writeResults(0, 1);
  process.exit(1);
}

for (const { name, bin } of servers) {
  log(`\n--- ${name}: ${bin} --transport http --host 127.0.0.1 --port 0 --sandbox`);
  let server;
  const outputDir = mkdtempSync(join(tmpdir(), `opsmcp-conformance-${name}-`));
  try {
    try {
      server = await startServer(bin);
    } catch (error) {
      log(`FAIL ${name}: the server did not start: ${error.message}`);
      unexpected += 1;
      continue;
    }
    const capabilities = await capabilitiesOf(server.url);
    const required = new Set([...ALWAYS_REQUIRED, ...(capabilities.logging ? ['logging-set-level'] : [])]);
    log(`${server.url}; declares ${Object.keys(capabilities).join(', ') || 'no capabilities'}`);

    const run = await runConformance(server.url, outputDir);
    const scenarios = parseSummary(run.output);
    if (scenarios.size === 0) {
      log(`FAIL ${name}: the conformance run produced no summary (exit ${run.code}):\n${run.output.slice(-4000)}`);
      unexpected += 1;
      continue;
    }
    const listed = (scenario) =>
      baseline.find((e) => e.scenario === scenario && (e.server === '*' || e.server === name));
    for (const [scenario, ok] of scenarios) {
      const entry = listed(scenario);
      if (ok) {
        passed += 1;
        log(`  pass      ${scenario}`);
        if (entry && !required.has(scenario)) {
          notes.push(
            `${name}: ${scenario} passes but ${BASELINE}:${entry.line} lists it as expected to fail; update the baseline.`,
          );
        }
      } else if (entry && !required.has(scenario)) {
        log(`  expected  ${scenario} (${entry.why})`);
      } else {
        unexpected += 1;
        const why = required.has(scenario) ? 'required for every server' : `not in ${BASELINE}`;
        log(`  FAIL      ${scenario} (${why})`);
        for (const check of failingChecks(outputDir, scenario)) log(`            ${check}`);
      }
    }
    for (const scenario of required) {
      if (!scenarios.has(scenario)) {
        unexpected += 1;
        log(`  FAIL      ${scenario} (required, but the conformance run did not report it)`);
      }
    }
    for (const entry of baseline.filter((e) => (e.server === '*' || e.server === name) && !scenarios.has(e.scenario))) {
      notes.push(
        `${name}: ${BASELINE}:${entry.line} names ${entry.scenario}, which the conformance suite did not run.`,
      );
    }
  } catch (error) {
    log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    unexpected += 1;
  } finally {
    if (server) await stopServer(server);
    rmSync(outputDir, { recursive: true, force: true });
  }
}

for (const note of notes) log(`note: ${note}`);
log(`\nconformance: ${passed} scenarios passed, ${unexpected} unexpected failures`);
writeResults(passed, unexpected);
process.exit(unexpected > 0 ? 1 : 0);

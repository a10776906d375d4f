// Fake backends run by the benchmark itself, out of the server's process: the servers' own fakes
// (packages/<name>/src/sandbox), bundled from source with esbuild and started in
// a child process. A server is pointed at one through its ordinary settings (VOLCENGINE_ENDPOINT
// and keys, SR_HOST/SR_PORT/SR_USER/SR_PASSWORD), the way a user points it at a real backend.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { childEnv } from './env.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = {
  rocketmq: 'packages/rocketmq/src/sandbox/index.ts',
  starrocks: 'packages/starrocks/src/sandbox/index.ts',
};
const bundles = new Map();

async function bundleOf(kind) {
  if (bundles.has(kind)) return bundles.get(kind);
  const { build } = await import('esbuild');
  const dir = join(tmpdir(), 'opsmcp-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${kind}-fake.mjs`);
  await build({
    entryPoints: [join(ROOT, ENTRIES[kind])],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: {
      js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  const url = pathToFileURL(outfile).href;
  bundles.set(kind, url);
  return url;
}

/** Starts the fake backend of `kind` (rocketmq, starrocks); resolves with `env` for the server and `stop()`. */
export async function startFakeBackend(kind, { delayMs = 0 } = {}) {
  if (!ENTRIES[kind]) throw new Error(`no fake backend for ${kind}`);
  const bundle = await bundleOf(kind);
  const script = fileURLToPath(new URL('./fake-backend-process.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, kind, bundle, String(delayMs)], {
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const env = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline !== -1) resolve(JSON.parse(out.slice(0, newline)));
    });
    child.on('exit', (code) => reject(new Error(`${kind} fake backend exited (code ${code})`)));
  });
  return {
    kind,
    delayMs,
    env,
    async stop() {
      child.stdin.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(kill);
    },
  };
}

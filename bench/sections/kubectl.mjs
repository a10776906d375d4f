// kubectl get pods through the ACK server against the same call made directly with
// @kubernetes/client-node, both against the sandbox's simulated API server (TLS, bearer token):
// what the server adds — argv parsing, the Table request, formatting, masking, MCP over stdio.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../lib/stats.mjs';
import { startStdio } from '../lib/stdio-client.mjs';
import { ROOT, stdioTarget } from '../targets.mjs';

const NAMESPACE = 'shop';

/** The sandbox's Kubernetes fake, bundled from source (it is not a public entry of the package). */
async function startKubeFake() {
  const { build } = await import('esbuild');
  const dir = join(tmpdir(), 'opsmcp-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'ack-kube-fake.mjs');
  await build({
    entryPoints: [join(ROOT, 'packages/ack/src/sandbox/kube-sandbox.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    absWorkingDir: join(ROOT, 'packages/ack'),
    banner: {
      js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  const { startSandboxKube } = await import(pathToFileURL(outfile).href);
  return startSandboxKube();
}

function kubeconfigYaml({ server, token, certificateAuthorityData }) {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: bench',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${certificateAuthorityData}`,
    'users:',
    '- name: bench',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: bench',
    '  context: {cluster: bench, user: bench}',
    'current-context: bench',
    '',
  ].join('\n');
}

async function timeDirect(kubeconfigFile, { calls, warmup }) {
  const requireFromAck = createRequire(join(ROOT, 'packages/ack/package.json'));
  const k8s = await import(pathToFileURL(requireFromAck.resolve('@kubernetes/client-node')).href);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigFile);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const times = [];
  for (let i = 0; i < warmup + calls; i++) {
    const started = performance.now();
    const list = await core.listNamespacedPod({ namespace: NAMESPACE });
    if (i >= warmup) times.push(performance.now() - started);
    if (!list.items?.length) throw new Error('the direct call listed no pods');
  }
  return median(times);
}

async function timeThroughServer(server, kubeconfigFile, { calls, warmup }) {
  const target = stdioTarget(server.id, server.bin, [], { KUBECONFIG_MODE: 'LOCAL', KUBECONFIG_PATH: kubeconfigFile });
  const client = startStdio(target.command, target.args, { env: target.env });
  try {
    await client.initialize();
    const times = [];
    for (let i = 0; i < warmup + calls; i++) {
      const started = performance.now();
      const result = await client.request('tools/call', {
        name: 'kubectl',
        arguments: { command: `get pods -n ${NAMESPACE}` },
      });
      if (i >= warmup) times.push(performance.now() - started);
      if (result.isError) throw new Error(`kubectl failed: ${result.content?.[0]?.text}`);
    }
    return median(times);
  } finally {
    await client.close();
  }
}

export async function measureKubectl(server, { calls, warmup }) {
  const kube = await startKubeFake();
  const dir = mkdtempSync(join(tmpdir(), 'opsmcp-bench-kube-'));
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, kubeconfigYaml(kube.kubeconfigFor()), { mode: 0o600 });
  try {
    // Alternate, so a slow patch of the machine hits both alike.
    const direct = [];
    const viaServer = [];
    for (let round = 0; round < 3; round++) {
      direct.push(await timeDirect(file, { calls, warmup }));
      viaServer.push(await timeThroughServer(server, file, { calls, warmup }));
    }
    const directP50 = median(direct);
    const serverP50 = median(viaServer);
    return {
      namespace: NAMESPACE,
      calls,
      directP50Ms: directP50,
      serverP50Ms: serverP50,
      addedP50Ms: serverP50 - directP50,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await kube.stop();
  }
}

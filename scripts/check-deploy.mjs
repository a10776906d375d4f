// Validates every Kubernetes manifest in deploy/kubernetes against the Kubernetes API schemas
// (kubernetes-models), and checks what the manifests promise: probes on /health, non-root,
// read-only root filesystem, requests and limits, the API key from a Secret. Writes
// .ci/deploy-check-results.json for the closing line of .ci/run.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIR = join(ROOT, 'deploy/kubernetes');
const MODELS = {
  Deployment: () => import('kubernetes-models/apps/v1/Deployment'),
  Service: () => import('kubernetes-models/v1/Service'),
};

let passed = 0;
const failures = [];
const check = (what, ok) => {
  if (ok) passed++;
  else failures.push(what);
};

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const servers = readdirSync(join(ROOT, 'packages')).filter((p) => {
  try {
    return Boolean(JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')).bin);
  } catch {
    return false;
  }
});
for (const server of servers) check(`deploy/kubernetes/${server}.yaml exists`, files.includes(`${server}.yaml`));

for (const file of files) {
  const docs = parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => d.toJSON());
  const kinds = docs.map((d) => d?.kind);
  check(`${file}: a Deployment and a Service`, kinds.includes('Deployment') && kinds.includes('Service'));
  for (const doc of docs) {
    const load = MODELS[doc?.kind];
    if (!load) {
      failures.push(`${file}: unexpected kind ${doc?.kind}`);
      continue;
    }
    const Model = (await load())[doc.kind];
    try {
      new Model(doc).validate();
      check(`${file}: ${doc.kind} is valid`, true);
    } catch (error) {
      failures.push(`${file}: ${doc.kind} fails the Kubernetes schema: ${error.message}`);
    }
    if (doc.kind !== 'Deployment') continue;
    const pod = doc.spec.template.spec;
    const [container] = pod.containers;
    check(`${file}: readiness probe on /health`, container.readinessProbe?.httpGet?.path === '/health');
    check(`${file}: liveness probe on /health`, container.livenessProbe?.httpGet?.path === '/health');
    check(`${file}: runs as non-root`, pod.securityContext?.runAsNonRoot === true);
    check(`${file}: read-only root filesystem`, container.securityContext?.readOnlyRootFilesystem === true);
    check(`${file}: no privilege escalation`, container.securityContext?.allowPrivilegeEscalation === false);
    check(`${file}: requests and limits`, Boolean(container.resources?.requests && container.resources?.limits));
    check(
      `${file}: credentials and API key from a Secret`,
      (container.envFrom ?? []).some((e) => e.secretRef?.name === `opsmcp-${file.replace(/\.yaml$/, '')}`),
    );
    check(
      `${file}: no secret value in the manifest`,
      !JSON.stringify(container.env ?? []).match(/KEY|SECRET|TOKEN|PASSWORD/),
    );
  }
}

writeFileSync(
  join(ROOT, '.ci/deploy-check-results.json'),
  `${JSON.stringify({ numPassedTests: passed, numFailedTests: failures.length })}\n`,
);
for (const f of failures) console.error(`deploy check: ${f}`);
console.log(`deploy check: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);

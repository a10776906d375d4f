#!/usr/bin/env node
// Checks what the release flow relies on, without publishing anything:
//   1. every committed packages/<server>/server.json is what scripts/server-json.mjs generates from
//      the built package (same version as package.json) and validates against the official schema;
//   2. the vendored schema validator rejects what the registry rejects (so check 1 means something);
//   3. a core-only changeset bumps every server (patch) and leaves them depending on the new core:
//      the repository's package.json files and .changeset/config.json are copied into a scratch
//      folder and `changeset version` (the CLI installed at the root) runs there.
//   4. every published package.json carries the publish metadata the registry and npm show;
//   5. the workflows validate against GitHub's workflow schema and say what the release needs.
//
// Usage: node scripts/check-release.mjs [--report FILE]   (after `pnpm build`)
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { generate, schemaValidator, serverPackages } from './server-json.mjs';

/** A line on stdout (the scripts' report). */
const print = (line = '') => process.stdout.write(`${line}\n`);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const args = process.argv.slice(2);
const reportFile = args.includes('--report') ? args[args.indexOf('--report') + 1] : undefined;

let passed = 0;
let failed = 0;
async function check(title, body) {
  try {
    const note = await body();
    passed++;
    print(`ok   ${title}${note ? ` — ${note}` : ''}`);
  } catch (error) {
    failed++;
    print(
      `FAIL ${title}\n     ${String(error?.stack ?? error)
        .split('\n')
        .join('\n     ')}`,
    );
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const servers = serverPackages();
const validate = schemaValidator();

// 1. server.json is generated, in step with package.json, and valid
for (const pkg of servers) {
  await check(`${pkg.dir}/server.json is the generated one, at version ${pkg.manifest.version}, valid`, async () => {
    const file = join(pkg.path, 'server.json');
    assert(existsSync(file), `${pkg.dir}/server.json is missing: run node scripts/server-json.mjs`);
    const committed = JSON.parse(readFileSync(file, 'utf8'));
    const generated = await generate(pkg);
    assert(
      committed.version === pkg.manifest.version,
      `version ${committed.version} is not package.json's ${pkg.manifest.version}`,
    );
    assert(
      committed.packages?.[0]?.version === pkg.manifest.version,
      `packages[0].version ${committed.packages?.[0]?.version} is not ${pkg.manifest.version}`,
    );
    assert(
      JSON.stringify(committed) === JSON.stringify(generated),
      'differs from what scripts/server-json.mjs generates: run node scripts/server-json.mjs',
    );
    const errors = validate(committed);
    assert(errors.length === 0, `invalid against schemas/server.schema.json: ${errors.join('; ')}`);
    const variables = committed.packages[0].environmentVariables;
    for (const variable of variables) {
      assert(variable.description, `${variable.name} has no description`);
      assert(
        typeof variable.isRequired === 'boolean' && typeof variable.isSecret === 'boolean',
        `${variable.name} lacks flags`,
      );
    }
    return `${variables.length} variables, ${variables.filter((v) => v.isSecret).length} secret`;
  });
}

// 2. the validator says no where the registry does
await check('the server.json schema rejects a version range, a missing transport and a long description', async () => {
  const pkg = servers[0];
  assert(pkg, 'no server package');
  const good = await generate(pkg);
  assert(validate(good).length === 0, 'the generated document is not valid');
  const range = structuredClone(good);
  range.packages[0].version = 'latest';
  const noTransport = structuredClone(good);
  delete noTransport.packages[0].transport;
  const longDescription = { ...structuredClone(good), description: 'x'.repeat(101) };
  for (const [what, document] of Object.entries({ range, noTransport, longDescription })) {
    assert(validate(document).length > 0, `${what} was accepted`);
  }
});

// 3. a core-only changeset bumps the servers that depend on core
await check('a core-only changeset bumps every server (patch) onto the new core', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'opsmcp-changeset-'));
  try {
    for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(ROOT, file), join(scratch, file));
    mkdirSync(join(scratch, '.changeset'));
    cpSync(join(ROOT, '.changeset', 'config.json'), join(scratch, '.changeset', 'config.json'));
    const before = {};
    for (const dir of readdirSync(join(ROOT, 'packages'))) {
      const manifest = join(ROOT, 'packages', dir, 'package.json');
      if (!existsSync(manifest)) continue;
      mkdirSync(join(scratch, 'packages', dir), { recursive: true });
      cpSync(manifest, join(scratch, 'packages', dir, 'package.json'));
      before[dir] = JSON.parse(readFileSync(manifest, 'utf8'));
    }
    const core = before.core;
    assert(core?.name === '@opsmcp/core', 'packages/core is not @opsmcp/core');
    writeFileSync(join(scratch, '.changeset', 'core-only.md'), "---\n'@opsmcp/core': minor\n---\n\nA core change.\n");
    await run(join(ROOT, 'node_modules', '.bin', 'changeset'), ['version'], {
      cwd: scratch,
      env: { ...process.env, CI: 'true' },
    });

    const after = (dir) => JSON.parse(readFileSync(join(scratch, 'packages', dir, 'package.json'), 'utf8'));
    const newCore = after('core').version;
    assert(newCore === bump(core.version, 'minor'), `core went from ${core.version} to ${newCore}`);
    const dependents = Object.entries(before).filter(([, m]) => m.dependencies?.['@opsmcp/core']);
    assert(dependents.length > 0, 'no package depends on @opsmcp/core');
    for (const [dir, manifest] of dependents) {
      const bumped = after(dir);
      assert(
        bumped.version === bump(manifest.version, 'patch'),
        `${dir}: ${manifest.version} → ${bumped.version}, not a patch bump`,
      );
      // `workspace:^` is published as ^<core's version at publish time>, i.e. ^newCore.
      const range = bumped.dependencies['@opsmcp/core'];
      const published = range === 'workspace:^' ? `^${newCore}` : range.replace(/^workspace:/, '');
      assert(published === `^${newCore}`, `${dir} depends on @opsmcp/core ${range}, published as ${published}`);
      const changelog = readFileSync(join(scratch, 'packages', dir, 'CHANGELOG.md'), 'utf8');
      assert(
        changelog.includes(`@opsmcp/core@${newCore}`),
        `${dir}/CHANGELOG.md does not name @opsmcp/core@${newCore}`,
      );
    }
    return `core ${core.version} → ${newCore}; ${dependents.map(([dir]) => `${dir} ${after(dir).version}`).join(', ')}`;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

function bump(version, type) {
  const [major, minor, patch] = version.split('.').map(Number);
  return type === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
}

// 5. the documented embedding example is the file CI runs
await check('docs/embedding.md shows docs/embedding-example.mjs verbatim', async () => {
  const example = readFileSync(join(ROOT, 'docs', 'embedding-example.mjs'), 'utf8');
  const doc = readFileSync(join(ROOT, 'docs', 'embedding.md'), 'utf8');
  assert(doc.includes(`\`\`\`js\n${example}\`\`\``), 'docs/embedding.md does not include the example file as it is');
});

// 4. publish metadata
for (const dir of readdirSync(join(ROOT, 'packages'))) {
  const file = join(ROOT, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (manifest.private) continue;
  await check(`${manifest.name} has its publish metadata`, async () => {
    assert(manifest.license === 'Apache-2.0', 'license is not Apache-2.0');
    assert(manifest.publishConfig?.access === 'public' && manifest.publishConfig?.provenance === true, 'publishConfig');
    assert(
      manifest.repository?.type === 'git' &&
        manifest.repository.url === 'git+https://github.com/opsmcp/opsmcp.git' &&
        manifest.repository.directory === `packages/${dir}`,
      'repository',
    );
    assert(manifest.homepage && manifest.bugs?.url && manifest.keywords?.length, 'homepage, bugs or keywords');
    for (const entry of ['dist', 'README.md', 'LICENSE'])
      assert(manifest.files?.includes(entry), `files lacks ${entry}`);
    assert(existsSync(join(ROOT, 'packages', dir, 'LICENSE')), `packages/${dir}/LICENSE is missing`);
    assert(
      readFileSync(join(ROOT, 'packages', dir, 'LICENSE'), 'utf8') === readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
      `packages/${dir}/LICENSE differs from the root LICENSE`,
    );
    assert(manifest.engines?.node === '>=20.19', `engines.node is ${manifest.engines?.node}`);
    if (manifest.bin) {
      assert(manifest.mcpName === `io.github.opsmcp/${dir}`, `mcpName is ${manifest.mcpName}`);
      // npx runs a package's only bin, or the one named like the package: anything else fails
      // `npx -y @opsmcp/<name>` with "could not determine executable to run".
      const bins = Object.keys(manifest.bin);
      assert(
        bins.length === 1 || manifest.bin[dir] === manifest.bin[`opsmcp-${dir}`],
        `${bins.length} bins and none named "${dir}" for opsmcp-${dir}: npx -y ${manifest.name} cannot choose`,
      );
      assert(
        manifest.peerDependencies?.['@modelcontextprotocol/sdk'],
        'the MCP SDK (imported by embedders) is no peer dependency',
      );
    }
  });
}

// 5. the workflows are valid GitHub Actions workflows, and say what the release relies on
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core');
const workflows = join(ROOT, '.github', 'workflows');
for (const file of readdirSync(workflows).filter((f) => f.endsWith('.yml'))) {
  await check(`.github/workflows/${file} is a valid workflow (GitHub's schema)`, async () => {
    const state = validateWorkflow(readFileSync(join(workflows, file), 'utf8'));
    assert(state.errors.length === 0, JSON.stringify(state.errors, null, 2).slice(0, 2000));
  });
}
await check('ci.yml runs .ci/run on push and pull request under Node 20 and 22', async () => {
  const ci = parseYaml(readFileSync(join(workflows, 'ci.yml'), 'utf8'));
  assert(ci.on?.push && 'pull_request' in ci.on, 'not on push and pull_request');
  const job = Object.values(ci.jobs)[0];
  assert(JSON.stringify(job.strategy?.matrix?.node) === '[20,22]', `matrix ${JSON.stringify(job.strategy?.matrix)}`);
  assert(
    job.steps.some((step) => step.run === 'bash .ci/run'),
    'no step runs bash .ci/run',
  );
});
await check('release.yml publishes through changesets with provenance and builds an image per server', async () => {
  const release = parseYaml(readFileSync(join(workflows, 'release.yml'), 'utf8'));
  assert(release.permissions?.['id-token'] === 'write', 'id-token: write is missing (npm provenance)');
  const step = release.jobs.release.steps.find((s) => String(s.uses ?? '').startsWith('changesets/action@'));
  assert(step, 'no changesets/action step');
  assert(step.with?.publish === 'pnpm changeset publish', `publish is ${step.with?.publish}`);
  assert(step.with?.createGithubReleases === true, 'no GitHub releases');
  assert(step.env?.NPM_CONFIG_PROVENANCE === 'true', 'NPM_CONFIG_PROVENANCE is not "true"');
  const matrix = release.jobs.images?.strategy?.matrix?.server ?? [];
  assert(
    JSON.stringify([...matrix].sort()) === JSON.stringify(servers.map((p) => p.dir).sort()),
    `images for ${matrix.join(', ')}, servers ${servers.map((p) => p.dir).join(', ')}`,
  );
});

print(`\nrelease-check: ${passed} passed, ${failed} failed`);
if (reportFile)
  writeFileSync(resolve(reportFile), `${JSON.stringify({ numPassedTests: passed, numFailedTests: failed })}\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

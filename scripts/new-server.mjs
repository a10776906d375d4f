// `pnpm new-server <name>`: creates packages/<name>/, a small but working opsmcp server — the
// package layout every server shares, one real read tool (server_info, no backend needed), a
// sandbox, the tests every server runs (tool table, transport contract over memory, HTTP and the
// spawned bin, README coverage), a README with the settings table and a changeset.
// See docs/adding-a-server.md for what to do next. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const NAME_PATTERN = /^[a-z][a-z0-9-]{1,30}$/;

/** Why `name` cannot be a new server package, or undefined when it can. */
export function nameProblem(name, root = ROOT) {
  if (!NAME_PATTERN.test(name)) {
    return `"${name}" is not a server name: use 2–31 characters, lowercase letters, digits and "-", starting with a letter (${NAME_PATTERN}).`;
  }
  if (name.endsWith('-')) return `"${name}" ends with "-".`;
  if (existsSync(join(root, 'packages', name))) return `packages/${name} already exists.`;
  const packagesDir = join(root, 'packages');
  for (const entry of existsSync(packagesDir) ? readdirSync(packagesDir, { withFileTypes: true }) : []) {
    const manifest = join(packagesDir, entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifest)) continue;
    const { name: packageName, bin } = JSON.parse(readFileSync(manifest, 'utf8'));
    if (packageName === `@opsmcp/${name}`) return `packages/${entry.name} is already @opsmcp/${name}.`;
    if (bin && Object.hasOwn(bin, `opsmcp-${name}`))
      return `packages/${entry.name} already has the bin opsmcp-${name}.`;
  }
  return undefined;
}

const words = (name) => name.split('-').filter(Boolean);
const camel = (name) =>
  words(name)
    .map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1)))
    .join('');
const pascal = (name) =>
  words(name)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const titleOf = (name) =>
  words(name)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');

/** Versions of the shared toolchain, taken from the workspace so a new package matches the others. */
function versions(root) {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const core = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8'));
  const dev = rootManifest.devDependencies ?? {};
  return {
    zod: core.dependencies.zod,
    node: rootManifest.engines?.node ?? '>=20.19',
    devDependencies: Object.fromEntries(
      ['@modelcontextprotocol/sdk', '@types/node', 'tsup', 'typescript', 'vitest'].map((dep) => [dep, dev[dep]]),
    ),
  };
}

/**
 * The core settings table every server README carries (`expectReadmeCoversServer` checks it),
 * made from core's own settings spec, so it lists what the installed core has. Needs
 * packages/core built.
 */
async function coreSettingsTable(root) {
  const coreEntry = join(root, 'packages/core/dist/index.js');
  if (!existsSync(coreEntry))
    throw new Error('packages/core is not built: run pnpm --filter @opsmcp/core build first.');
  const { settingsSpecOf } = await import(pathToFileURL(coreEntry).href);
  // A server with a sandbox and no toolsets, like the one generated.
  const spec = settingsSpecOf({ name: 'new', settings: {}, tools: [], sandbox: async () => ({}) });
  const code = (value) => `\`${value}\``;
  const cell = (text) => text.replaceAll('|', '\\|');
  const shown = (value) => {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) return '';
    return code(Array.isArray(value) ? value.join(',') : value);
  };
  const rows = Object.values(spec).map((s) => {
    const flag = s.valueName && !s.switch ? `${code(`--${s.flag}`)} ${cell(s.valueName)}` : code(`--${s.flag}`);
    const what = cell(s.description) + (s.secret ? ' (secret)' : '');
    return `| ${flag} | ${s.env.map(code).join(', ')} | ${shown(s.default)} | ${what} |`;
  });
  return ['| flag | env | default | what |', '|---|---|---|---|', ...rows].join('\n');
}

/** Every file of a new server package, path (relative to the repository) → content. */
export async function serverFiles(name, root = ROOT) {
  const v = versions(root);
  const coreTable = await coreSettingsTable(root);
  const id = camel(name);
  const Id = pascal(name);
  const title = titleOf(name);
  const dir = `packages/${name}`;
  const packageJson = {
    name: `@opsmcp/${name}`,
    version: '0.0.0',
    description: `MCP server for ${title}`,
    license: 'Apache-2.0',
    type: 'module',
    engines: { node: v.node },
    bin: { [`opsmcp-${name}`]: './dist/bin.js' },
    exports: {
      '.': { types: './dist/index.d.ts', import: './dist/index.js' },
      './sandbox': { types: './dist/sandbox/index.d.ts', import: './dist/sandbox/index.js' },
    },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist', 'README.md'],
    scripts: {
      build: `node -e "require('node:fs').rmSync('dist',{recursive:true,force:true})" && tsup`,
      typecheck: 'tsc --noEmit -p tsconfig.json',
      test: 'vitest run',
    },
    dependencies: { '@opsmcp/core': 'workspace:^', zod: v.zod },
    devDependencies: v.devDependencies,
    publishConfig: { access: 'public' },
  };

  return {
    [`${dir}/package.json`]: `${JSON.stringify(packageJson, null, 2)}\n`,

    [`${dir}/tsconfig.json`]: `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "rootDir": ".",
    "noEmit": true
  },
  "include": ["src", "test"]
}
`,

    [`${dir}/vitest.config.ts`]: `import shared from '../../vitest.shared.js';

export default shared;
`,

    [`${dir}/tsup.config.ts`]: `import { serverBuild } from '../../tsup.server.js';

export default serverBuild({ entries: { 'sandbox/index': 'src/sandbox/index.ts' } });
`,

    [`${dir}/src/index.ts`]: `import { type CreateServerOptions, createServer, type SettingsOfServer } from '@opsmcp/core';
import { ${id}Server } from './server.js';

export { ${id}Server } from './server.js';
export { ${id}Settings } from './settings.js';
export type { ${Id}Clients } from './tools/context.js';
export { ${id}Tools } from './tools/index.js';

/** What \`create${Id}Server\` takes: typed settings, and \`env\` only when it should read one. */
export type ${Id}ServerOptions = CreateServerOptions<SettingsOfServer<typeof ${id}Server>>;

/** The ${title} MCP server as a library: \`await (await create${Id}Server()).connect(transport)\`. */
export function create${Id}Server(options?: ${Id}ServerOptions) {
  return createServer(${id}Server, options);
}
`,

    [`${dir}/src/bin.ts`]: `#!/usr/bin/env node
import { runCli } from '@opsmcp/core';
import { ${id}Server } from './server.js';

await runCli(${id}Server);
`,

    [`${dir}/src/server.ts`]: `import { defineServer, readToolListings } from '@opsmcp/core';
import packageJson from '../package.json' with { type: 'json' };
import { ${id}Settings } from './settings.js';
import { ${id}Tools } from './tools/index.js';

const instructions = \`The ${title} server. server_info reports the server's version, whether it is read-only and whether it runs on simulated data.\`;

export const ${id}Server = defineServer({
  name: '${name}',
  packageName: '@opsmcp/${name}',
  version: packageJson.version,
  title: '${title}',
  instructions,
  settings: ${id}Settings,
  tools: ${id}Tools,
  // Written by the build next to the dist files; from sources the runtime derives them.
  listings: () => readToolListings(import.meta.url),

  // Per-request clients for the tools (\`ctx.clients\`); keep it cheap: SDKs load on first use.
  createContext: () => ({}),

  // The sandbox module loads only when --sandbox asks for it.
  sandbox: async (_settings, log) => (await import('./sandbox/index.js')).startSandbox(log),
});
`,

    [`${dir}/src/settings.ts`]: `import type { SettingsSpec } from '@opsmcp/core';

/**
 * The ${title} server's own settings (core's are added by core). Each is a \`setting({ schema,
 * flag, env, default, description, secret? })\`; a cloud server spreads its credential provider's
 * settings here (e.g. \`...alibabaSettings\`). Every flag and env name goes into the README table.
 */
export const ${id}Settings = {} satisfies SettingsSpec;
`,

    [`${dir}/src/tools/context.ts`]: `import { type AnyZodObject, defineTool, type ToolDefinition } from '@opsmcp/core';

/** What a ${title} tool handler gets in \`ctx.clients\` (built by the server's \`createContext\`). */
export type ${Id}Clients = Record<string, never>;

/** \`defineTool\` with the ${title} clients typed. */
export function ${id}Tool<Input extends AnyZodObject, Output extends AnyZodObject>(
  definition: ToolDefinition<Input, Output, ${Id}Clients>,
): ToolDefinition<Input, Output, ${Id}Clients> {
  return defineTool(definition);
}
`,

    [`${dir}/src/tools/server-info.ts`]: `import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import { ${id}Tool } from './context.js';

export const serverInfo = ${id}Tool({
  name: 'server_info',
  title: 'Server information',
  description:
    "Reports this server's package, version and transport, whether write tools are enabled and whether it runs on simulated (sandbox) data.",
  access: 'read',
  openWorld: false,
  input: z.object({}),
  output: z.object({
    package: z.string().describe('npm package name'),
    version: z.string().describe('package version'),
    transport: z.string().describe('stdio, http or sse'),
    readOnly: z.boolean().describe('true unless the server runs with --allow-write'),
    sandbox: z.boolean().describe('true when the server serves simulated data (--sandbox)'),
  }),
  format: (o) =>
    \`\${o.package} \${o.version} over \${o.transport}: \${o.readOnly ? 'read-only' : 'write tools enabled'}\${o.sandbox ? ', sandbox' : ''}.\`,
  async handler(_args, ctx) {
    return {
      package: packageJson.name,
      version: packageJson.version,
      transport: String(ctx.settings.transport),
      readOnly: ctx.settings.allowWrite !== true,
      sandbox: ctx.sandbox,
    };
  },
});
`,

    [`${dir}/src/tools/index.ts`]: `import { serverInfo } from './server-info.js';

/** Every ${title} tool; tools that change things are listed only with --allow-write. */
export const ${id}Tools = [serverInfo] as const;
`,

    [`${dir}/src/sandbox/index.ts`]: `/**
 * The --sandbox backend, loaded on demand and exported at \`@opsmcp/${name}/sandbox\` (never from
 * the package root). A server with a backend starts its fake endpoint here and returns the
 * settings that point the server at it.
 */
export const SANDBOX_NOTICE = 'simulated ${title} backend (no backend data yet: only server_info answers)';

export async function startSandbox(log: { info(message: string, fields?: Record<string, unknown>): void }) {
  log.info('sandbox started', { notice: SANDBOX_NOTICE });
  return { settings: {}, notice: SANDBOX_NOTICE, stop: async () => {} };
}
`,

    [`${dir}/test/server.test.ts`]: `import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  callTool,
  connectInMemory,
  expectReadmeCoversServer,
  expectToolTable,
  runTransportContract,
} from '@opsmcp/core/testing';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { ${id}Server } from '../src/index.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

describe('tool table', () => {
  it('declares every tool with its access and annotations', async () => {
    await expectToolTable(${id}Server, [{ name: 'server_info', access: 'read' }]);
  });
});

describe('server_info', () => {
  it('reports the package version, read-only by default, outside the sandbox', async () => {
    const conn = await connectInMemory(${id}Server);
    try {
      const out = await callTool(conn.client, 'server_info');
      expect(out.isError, out.text).toBe(false);
      expect(out.structured).toEqual({
        package: '@opsmcp/${name}',
        version: packageJson.version,
        transport: 'stdio',
        readOnly: true,
        sandbox: false,
      });
    } finally {
      await conn.close();
    }
  });

  it('reports write tools enabled with allowWrite and the sandbox with --sandbox', async () => {
    const conn = await connectInMemory(${id}Server, { settings: { allowWrite: true, sandbox: true } });
    try {
      const out = await callTool(conn.client, 'server_info');
      expect(out.isError, out.text).toBe(false);
      expect(out.structured).toMatchObject({ readOnly: false, sandbox: true });
      expect(out.text).toMatch(/^\\[SANDBOX: simulated/);
    } finally {
      await conn.close();
    }
  });

  it('is listed read-only and closed-world: it calls nothing outside the server', async () => {
    const conn = await connectInMemory(${id}Server);
    try {
      const { tools } = await conn.client.listTools();
      expect(tools.find((tool) => tool.name === 'server_info')?.annotations).toMatchObject({
        readOnlyHint: true,
        openWorldHint: false,
      });
    } finally {
      await conn.close();
    }
  });
});

it('the README documents every tool, flag and env variable', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(() => expectReadmeCoversServer(${id}Server, readme)).not.toThrow();
});

runTransportContract(${id}Server, {
  settings: { sandbox: true },
  call: { name: 'server_info' },
  bin: BIN,
  binArgs: ['--sandbox'],
});
`,

    [`${dir}/README.md`]: `# @opsmcp/${name}

An MCP server for **${title}**. It is read-only by default: tools that change things appear only
with \`--allow-write\`.

## Install

Node.js 20.19 or newer. Desktop clients need no install step: \`npx\` fetches the package.

\`\`\`sh
npx -y @opsmcp/${name} --help
\`\`\`

\`\`\`json
{
  "mcpServers": {
    "${name}": { "command": "npx", "args": ["-y", "@opsmcp/${name}"] }
  }
}
\`\`\`

## Settings

Every setting can be given as a flag, an environment variable (also from \`.env\` in the working
directory) or a key in \`--config file.json|yaml\`; flags win over env, env over the file.
\`--print-config\` shows the effective values with secrets redacted.

### Server (shared by every opsmcp server)

${coreTable}

## Tools

### Read tools (always available)

| tool | what it does | parameters |
|---|---|---|
| \`server_info\` | The server's package, version and transport, whether write tools are enabled and whether it runs on simulated data. | none |

## Sandbox

\`\`\`sh
npx -y @opsmcp/${name} --sandbox
\`\`\`

serves simulated data; every result is marked \`[SANDBOX: …]\`.

## Library use

\`\`\`ts
import { create${Id}Server } from '@opsmcp/${name}';

const runtime = await create${Id}Server({ settings: { allowWrite: false } });
await runtime.connect(transport);
\`\`\`

## License

Apache-2.0
`,

    [`.changeset/${name}-server.md`]: `---
"@opsmcp/${name}": minor
---

New server @opsmcp/${name} (bin opsmcp-${name}) for ${title}: server_info, \`--sandbox\`.
`,
  };
}

/** Writes the files of a new server package; returns the repository-relative paths written. */
export async function createServerPackage(name, root = ROOT) {
  const problem = nameProblem(name, root);
  if (problem) throw new Error(problem);
  const files = await serverFiles(name, root);
  for (const path of Object.keys(files)) {
    if (existsSync(join(root, path))) throw new Error(`${path} already exists; nothing was written.`);
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  formatPackage(join(root, 'packages', name), root);
  return Object.keys(files);
}

/**
 * Lets the workspace's Biome lay out the generated code (line breaks depend on the name's
 * length). Formatting only; skipped when Biome is not installed yet.
 */
function formatPackage(dir, root) {
  const biome = join(root, 'node_modules/.bin/biome');
  if (!existsSync(biome)) return;
  const result = spawnSync(biome, ['format', '--write', '--vcs-use-ignore-file=false', dir], { encoding: 'utf8' });
  if (result.status !== 0) process.stderr.write(`biome format of ${dir} failed:\n${result.stdout}${result.stderr}`);
}

async function main(argv) {
  const name = argv[0];
  if (!name || argv.length > 1 || name.startsWith('-')) {
    console.error('usage: pnpm new-server <name>   (e.g. pnpm new-server kafka; creates packages/<name>)');
    return 2;
  }
  let written;
  try {
    written = await createServerPackage(name);
  } catch (error) {
    console.error(`new-server: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const dir = relative(process.cwd(), join(ROOT, 'packages', name)) || '.';
  console.log(`Created @opsmcp/${name} (bin opsmcp-${name}):`);
  for (const path of written) console.log(`  ${path}`);
  console.log(`
Next steps:
  pnpm install                              # links the new workspace package (updates pnpm-lock.yaml)
  pnpm --filter @opsmcp/${name} build
  pnpm --filter @opsmcp/${name} test        # tool table, transport contract, README coverage
  node ${join(dir, 'dist/bin.js')} --help

Then give it a backend: docs/adding-a-server.md (settings, credentials, API client, sandbox,
the root README table, bench target, demo) and docs/adding-a-tool.md for every tool.`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

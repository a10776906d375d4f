#!/usr/bin/env node
// Writes packages/<server>/server.json, the server's entry for the MCP Registry, from what the
// built package itself declares: its package.json (name, mcpName, version, description) and the
// settings definitions in dist/index.js (env names, descriptions, secret flags, defaults), so the
// registry entry cannot drift from the server. Every package with a `bin` is a server.
//
//   node scripts/server-json.mjs           write every server.json (after `pnpm build`)
//   node scripts/server-json.mjs --check   fail when a committed server.json differs from the
//                                          generated one or does not validate against the
//                                          vendored official schema (schemas/server.schema.json)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A line on stdout (the scripts' report). */
const print = (line = '') => process.stdout.write(`${line}\n`);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA_FILE = join(ROOT, 'schemas', 'server.schema.json');
const REPOSITORY_URL = 'https://github.com/opsmcp/opsmcp';
/** The registry limits a description to 100 characters. */
const MAX_DESCRIPTION = 100;

/**
 * The core settings that mean something to a stdio install, in this order. The HTTP transport's
 * settings (MCP_PORT, MCP_API_KEY, …) are left out: a registry client starts the npm package
 * over stdio.
 */
const CORE_SETTINGS_FOR_STDIO = [
  'allowWrite',
  'tools',
  'disableTools',
  'toolsets',
  'confirm',
  'confirmElicitationOnly',
  'toolTimeoutMs',
  'logLevel',
  'sandbox',
];

/** The servers: every packages/<dir>/package.json with a bin. */
export function serverPackages() {
  return readdirSync(join(ROOT, 'packages'))
    .filter((dir) => existsSync(join(ROOT, 'packages', dir, 'package.json')))
    .map((dir) => ({
      dir,
      path: join(ROOT, 'packages', dir),
      manifest: JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => manifest.bin && !manifest.private);
}

function shortDescription(description) {
  if (description.length <= MAX_DESCRIPTION) return description;
  // "MCP server for X: a, b, c" → "MCP server for X"; else whole clauses up to the limit; else whole words.
  const head = description.split(':')[0].trim();
  if (head.length <= MAX_DESCRIPTION) return head;
  const clauses = description.slice(0, MAX_DESCRIPTION + 1).split(', ');
  if (clauses.length > 1) return clauses.slice(0, -1).join(', ');
  return `${description.slice(0, MAX_DESCRIPTION - 1).replace(/\s+\S*$/, '')}…`;
}

/** A setting as a registry environment variable: its canonical env name, what it is, whether it is secret. */
function environmentVariable(spec, override) {
  const value = override?.default !== undefined ? override.default : spec.default;
  const aliases = [...(override?.env ?? []), ...spec.env.slice(1)].filter((name) => name !== spec.env[0]);
  const variable = {
    name: spec.env[0],
    description: aliases.length > 0 ? `${spec.description} (also read from ${aliases.join(', ')})` : spec.description,
    // No setting is required to start: every server runs with --sandbox and without credentials
    // (they may also come from files, instance roles or each HTTP request).
    isRequired: false,
    isSecret: Boolean(spec.secret),
  };
  if (spec.switch || typeof value === 'boolean') variable.format = 'boolean';
  else if (typeof value === 'number') variable.format = 'number';
  if (['string', 'number', 'boolean'].includes(typeof value) && value !== '') variable.default = String(value);
  return variable;
}

export async function generate(pkg) {
  const { manifest, path } = pkg;
  const entry = join(path, 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`${pkg.dir}/dist/index.js is missing: run pnpm build first`);
  const exported = await import(pathToFileURL(entry).href);
  const definition = Object.values(exported).find((value) => value?.packageName === manifest.name && value.settings);
  if (!definition) throw new Error(`${pkg.dir}/dist/index.js exports no server definition for ${manifest.name}`);
  // The core the package itself resolves (the workspace's), for the settings every server has.
  const coreDir = join(path, 'node_modules', '@opsmcp', 'core');
  const coreEntry = join(coreDir, JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')).exports['.'].import);
  const { coreSettingsSpec } = await import(pathToFileURL(coreEntry).href);

  const specs = [
    ...Object.values(definition.settings).map((spec) => [spec]),
    ...(definition.credentials?.providers ?? []).flatMap((provider) =>
      Object.values(provider.settings ?? {}).map((spec) => [spec]),
    ),
    ...CORE_SETTINGS_FOR_STDIO.filter((key) => key !== 'toolsets' || definition.toolsets).map((key) => [
      coreSettingsSpec[key],
      definition.coreSettings?.[key],
    ]),
  ];
  const byName = new Map();
  for (const [spec, override] of specs) {
    if (!spec?.env?.length) continue;
    if (!byName.has(spec.env[0])) byName.set(spec.env[0], environmentVariable(spec, override));
  }

  if (manifest.mcpName !== `io.github.opsmcp/${pkg.dir}`) {
    throw new Error(`${pkg.dir}/package.json mcpName must be io.github.opsmcp/${pkg.dir}`);
  }
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  return {
    $schema: schema.$id,
    name: manifest.mcpName,
    description: shortDescription(manifest.description),
    repository: { url: REPOSITORY_URL, source: 'github', subfolder: `packages/${pkg.dir}` },
    websiteUrl: manifest.homepage,
    version: manifest.version,
    packages: [
      {
        registryType: 'npm',
        registryBaseUrl: 'https://registry.npmjs.org',
        identifier: manifest.name,
        version: manifest.version,
        transport: { type: 'stdio' },
        environmentVariables: [...byName.values()],
      },
    ],
  };
}

/** A validator for the vendored official schema (Ajv from the MCP SDK's own dependencies). */
export function schemaValidator() {
  const fromSdk = createRequire(
    createRequire(join(ROOT, 'package.json')).resolve('@modelcontextprotocol/sdk/package.json'),
  );
  const Ajv = fromSdk('ajv').default ?? fromSdk('ajv');
  const addFormats = fromSdk('ajv-formats').default ?? fromSdk('ajv-formats');
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  return (document) => (validate(document) ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`));
}

const text = (document) => `${JSON.stringify(document, null, 2)}\n`;

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const checkOnly = process.argv.includes('--check');
  const validate = schemaValidator();
  let problems = 0;
  for (const pkg of serverPackages()) {
    const file = join(pkg.path, 'server.json');
    try {
      const document = await generate(pkg);
      const errors = validate(document);
      if (errors.length > 0) throw new Error(`does not validate against ${SCHEMA_FILE}:\n  ${errors.join('\n  ')}`);
      if (checkOnly) {
        const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
        if (committed !== text(document)) {
          throw new Error('differs from what scripts/server-json.mjs generates: run `node scripts/server-json.mjs`');
        }
        print(`ok   ${pkg.dir}/server.json (${document.packages[0].environmentVariables.length} variables)`);
      } else {
        writeFileSync(file, text(document));
        print(`wrote ${pkg.dir}/server.json (${document.packages[0].environmentVariables.length} variables)`);
      }
    } catch (error) {
      problems++;
      console.error(`FAIL ${pkg.dir}/server.json: ${error.message}`);
    }
  }
  process.exit(problems > 0 ? 1 : 0);
}

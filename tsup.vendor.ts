import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { Options } from 'tsup';

/**
 * Backend SDKs bundled into a server's `dist/vendor/` instead of installed with it: a cloud SDK
 * installs tens of megabytes (every API of the product, every model, its whole dependency tree)
 * while a server calls a handful of operations. Each listed package becomes one minified file,
 * `dist/vendor/<name>.js` (code they share goes to `dist/vendor/chunk-*.js`), holding only what
 * the server's sources name:
 *
 * - an ES module package (AWS SDK v3, @kubernetes/client-node) re-exports just the exports whose
 *   names appear in `src/`, and esbuild drops the rest;
 * - a CommonJS package is exported whole as `default`, as Node's own import of CommonJS gives it;
 *   a generated Alibaba Cloud product client (`@alicloud/<product><version>`) first loses the API
 *   methods (`<api>WithOptions`, the form the sources call) and request/response models that
 *   `src/` does not name.
 *
 * The library and bin builds both import `./vendor/<name>.js` in place of the package (the
 * sources keep their `await import('<package>')`, so a vendored SDK still loads on first use),
 * which keeps one copy of the SDKs in the tarball. The packages become devDependencies: tests run
 * from the sources against the installed SDKs, and the built bin against the vendored files.
 *
 * The build fails when a vendored package is still a dependency, when the bundle would require a
 * module other than Node's own at run time (unless listed as `optional`), and when
 * THIRD-PARTY-NOTICES.md does not list a bundled package; it writes the bundled packages' license
 * texts to dist/vendor/THIRD-PARTY-LICENSES.txt.
 */
export interface VendorOptions {
  /** Packages imported by the sources with `await import('<package>')`, bundled into dist/vendor/. */
  packages: string[];
  /**
   * Modules inside the vendored trees replaced by the given CommonJS source: for an optional
   * native addon on a code path the server never takes, which cannot be bundled.
   */
  replace?: Record<string, string>;
  /**
   * Modules the vendored code requires only inside a try/catch, working without them (e.g. ws's
   * native accelerators): left out of the bundle, and not installed.
   */
  optional?: string[];
  /**
   * ES module packages whose modules do nothing when imported but define things, declared to
   * esbuild as their package.json's `"sideEffects": false` would: the modules of the package that
   * the kept exports do not reach are then left out, not only their unused statements.
   */
  sideEffectFree?: string[];
}

const VENDOR_DIR = 'vendor';
const LICENSES_FILE = 'THIRD-PARTY-LICENSES.txt';
/** Marks esbuild's own resolution from inside the side-effects hook, which must not recurse. */
const SIDE_EFFECTS_RESOLVING = Symbol('side-effects-resolving');
/** `@kubernetes/client-node` → `kubernetes-client-node`. */
const fileNameOf = (pkg: string) => pkg.replace(/^@/, '').replace(/\//g, '-');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every identifier written in the package's sources: what the vendored SDKs keep. */
function identifiersOf(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) identifiersOf(path, found);
    else if (/\.[cm]?tsx?$/.test(entry.name)) {
      for (const name of readFileSync(path, 'utf8').match(/[A-Za-z_$][\w$]*/g) ?? []) found.add(name);
    }
  }
  return found;
}

interface PackageInfo {
  name: string;
  dir: string;
  main: string;
  esm: boolean;
}

function packageInfo(packageDir: string, name: string): PackageInfo {
  const require = createRequire(join(packageDir, 'package.json'));
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { type?: string; module?: string };
  return {
    name,
    dir: dirname(manifestPath),
    main: require.resolve(name),
    esm: manifest.type === 'module' || typeof manifest.module === 'string',
  };
}

/**
 * A generated Alibaba Cloud product client (`dist/client.js`: one class with two methods per API,
 * `dist/models/model.js`: an index of thousands of model files) cut down to the constructor,
 * the `…WithOptions` methods named in the sources (and the methods they call) and the models
 * those methods and the sources name. The generated layout is checked line by line: a client in
 * another shape fails the build instead of being cut wrongly.
 */
function slimAlibabaClient(source: string, modelIndex: string, used: Set<string>, file: string): string {
  const fail = (why: string) => new Error(`vendor: ${file}: ${why}; the generated client's layout changed`);
  const modelImport = 'const $_model = __importStar(require("./models/model"));';
  const modelReExport = '__exportStar(require("./models/model"), exports);';
  if (!source.includes(modelImport) || !source.includes(modelReExport)) throw fail('no models/model import');

  const lines = source.split('\n');
  const classStart = lines.findIndex((line) => /^class Client extends \S+ \{$/.test(line));
  const classEnd = lines.indexOf('}', classStart);
  if (classStart < 0 || classEnd < 0) throw fail('no `class Client`');

  // The class body: [doc comment] [line comments] + method, each method closing on a line `    }`.
  const methods: Array<{ name: string; lines: string[] }> = [];
  for (let i = classStart + 1; i < classEnd; ) {
    const start = i;
    if (lines[i] === '    /**') {
      while (i < classEnd && lines[i] !== '     */') i++;
      i++;
    }
    while (/^ {4}\/\/ /.test(lines[i] ?? '')) i++;
    const signature = /^ {4}(?:static )?(?:async )?(\w+)\(.*\) \{$/.exec(lines[i] ?? '');
    if (!signature) throw fail(`unexpected line ${i + 1}: ${JSON.stringify(lines[i]?.slice(0, 80))}`);
    while (i < classEnd && lines[i] !== '    }') i++;
    if (i >= classEnd) throw fail(`method ${signature[1]} does not close`);
    i++;
    methods.push({ name: signature[1] as string, lines: lines.slice(start, i) });
  }

  // The sources call an API as `<api>WithOptions(request, …, runtime)`, with their own timeouts;
  // names without the suffix (`describeClusterDetail`) are often the sources' own wrappers.
  const kept = new Set(
    methods
      .filter((m) => m.name === 'constructor' || (m.name.endsWith('WithOptions') && used.has(m.name)))
      .map((m) => m.name),
  );
  // The methods the kept ones call (`describeX` → `describeXWithOptions`, `getEndpoint`).
  for (let grew = true; grew; ) {
    grew = false;
    for (const method of methods.filter((m) => kept.has(m.name))) {
      for (const [, called] of method.lines.join('\n').matchAll(/this\.(\w+)\(/g)) {
        if (methods.some((m) => m.name === called) && !kept.has(called as string)) {
          kept.add(called as string);
          grew = true;
        }
      }
    }
  }
  const body = methods.filter((m) => kept.has(m.name)).flatMap((m) => m.lines);

  // model name → the file under models/ that defines it.
  const modelFiles = new Map<string, string>();
  for (const [, , fileName, exported] of modelIndex.matchAll(
    /var (\w+) = require\("\.\/([\w-]+)"\);\nObject\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return \1\.\3; \} \}\);/g,
  )) {
    modelFiles.set(exported as string, fileName as string);
  }
  if (modelFiles.size === 0) throw fail('models/model.js lists no models');
  const text = body.join('\n');
  const models = new Set([...used].filter((name) => modelFiles.has(name)));
  for (const [, name] of text.matchAll(/\$_model\.(\w+)/g)) {
    if (!modelFiles.has(name as string)) throw fail(`model ${name} is not in models/model.js`);
    models.add(name as string);
  }
  const modelObject = [...models]
    .sort()
    .map((name) => `  ${name}: require("./models/${modelFiles.get(name)}").${name},`)
    .join('\n');

  return [
    ...lines.slice(0, classStart).map((line) => {
      if (line === modelImport) return `const $_model = {\n${modelObject}\n};`;
      if (line === modelReExport) return 'Object.assign(exports, $_model);';
      return line;
    }),
    lines[classStart],
    ...body,
    ...lines.slice(classEnd).filter((line) => !line.startsWith('//# sourceMappingURL=')),
  ].join('\n');
}

interface BundledPackage {
  name: string;
  version: string;
  license: string;
  dir: string;
}

/** The packages whose code is in the output: the innermost node_modules/<name> of each input file. */
function bundledPackages(packageDir: string, metafile: Metafile): BundledPackage[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(input);
    if (match) dirs.add(match[1] as string);
  }
  return [...dirs]
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(resolve(packageDir, dir, 'package.json'), 'utf8'));
      return {
        name: manifest.name as string,
        version: manifest.version as string,
        license: String(manifest.license),
        dir: resolve(packageDir, dir),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** Builds dist/vendor/: one minified ES module per package, shared code in chunks beside them. */
async function buildVendor(packageDir: string, options: VendorOptions): Promise<void> {
  const used = identifiersOf(join(packageDir, 'src'));
  const infos = options.packages.map((name) => packageInfo(packageDir, name));
  const entries: Record<string, string> = {};
  for (const info of infos) {
    if (info.esm) {
      // Node loads the package's CommonJS build here: its `default` is not an export of the ES one.
      const exported = Object.keys(await import(pathToFileURL(info.main).href)).filter(
        (name) => name !== 'default' && used.has(name),
      );
      if (exported.length === 0) throw new Error(`vendor: src/ names none of the exports of ${info.name}`);
      entries[info.name] = `export { ${exported.sort().join(', ')} } from ${JSON.stringify(info.name)};`;
    } else {
      // Node's import of a CommonJS module: `default` is module.exports.
      entries[info.name] = `const loaded = require(${JSON.stringify(info.name)});\nexport default loaded;`;
    }
  }
  // Product clients: generated on top of @alicloud/openapi-core, with a models/ index.
  const generatedClients = new Map(
    infos
      .filter(
        (info) =>
          !info.esm &&
          existsSync(join(dirname(info.main), 'models', 'model.js')) &&
          /^class Client extends openapi_core_1\.default \{$/m.test(readFileSync(info.main, 'utf8')),
      )
      .map((info) => [resolve(info.main), info]),
  );
  const replace = options.replace ?? {};

  const vendorPlugin: Plugin = {
    name: 'opsmcp-vendor',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^opsmcp-vendor:/ }, (args) => ({
        path: args.path.slice('opsmcp-vendor:'.length),
        namespace: 'opsmcp-vendor-entry',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'opsmcp-vendor-entry' }, (args) => ({
        contents: entries[args.path],
        loader: 'js',
        resolveDir: packageDir,
      }));
      const replaced = Object.keys(replace);
      if (replaced.length > 0) {
        pluginBuild.onResolve({ filter: new RegExp(`^(${replaced.map(escapeRegExp).join('|')})$`) }, (args) => ({
          path: args.path,
          namespace: 'opsmcp-vendor-replaced',
        }));
        pluginBuild.onLoad({ filter: /.*/, namespace: 'opsmcp-vendor-replaced' }, (args) => ({
          contents: replace[args.path],
          loader: 'js',
        }));
      }
      const sideEffectFreeDirs = (options.sideEffectFree ?? []).map((name) => packageInfo(packageDir, name).dir + sep);
      if (sideEffectFreeDirs.length > 0) {
        pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
          if (args.pluginData === SIDE_EFFECTS_RESOLVING || args.namespace !== 'file') return undefined;
          const resolved = await pluginBuild.resolve(args.path, {
            importer: args.importer,
            resolveDir: args.resolveDir,
            kind: args.kind,
            pluginData: SIDE_EFFECTS_RESOLVING,
          });
          if (resolved.errors.length > 0 || !sideEffectFreeDirs.some((dir) => resolved.path.startsWith(dir))) {
            return undefined;
          }
          return { ...resolved, sideEffects: false };
        });
      }
      pluginBuild.onLoad({ filter: /[\\/]dist[\\/]client\.js$/ }, (args) => {
        const info = generatedClients.get(resolve(args.path));
        if (!info) return undefined;
        const modelIndex = readFileSync(join(dirname(args.path), 'models', 'model.js'), 'utf8');
        const contents = slimAlibabaClient(readFileSync(args.path, 'utf8'), modelIndex, used, info.name);
        return { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };

  const result = await build({
    absWorkingDir: packageDir,
    metafile: true,
    entryPoints: infos.map((info) => ({ in: `opsmcp-vendor:${info.name}`, out: fileNameOf(info.name) })),
    outdir: join(packageDir, 'dist', VENDOR_DIR),
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // ES module builds first: esbuild drops what the re-exports do not reach only in those.
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    // The bundled CommonJS code calls require() for Node's built-ins; give the ES modules one.
    banner: {
      js: "import { createRequire as __opsmcpCreateRequire } from 'node:module';\nconst require = __opsmcpCreateRequire(import.meta.url);",
    },
    plugins: [vendorPlugin],
  });
  // What esbuild left to be resolved at run time must be Node's own: nothing else is installed.
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  const unresolved = new Set(
    Object.values(result.metafile.outputs).flatMap((output) =>
      output.imports.filter((i) => i.external && !builtins.has(i.path)).map((i) => i.path),
    ),
  );
  const bundled = bundledPackages(packageDir, result.metafile);
  checkNotices(packageDir, bundled);
  writeLicenses(join(packageDir, 'dist', VENDOR_DIR, LICENSES_FILE), bundled);
  const unexpected = [...unresolved].filter((name) => !(options.optional ?? []).includes(name));
  if (unexpected.length > 0) {
    throw new Error(`vendor: the bundled SDKs require ${unexpected.join(', ')} at run time, which is not installed`);
  }
}

/**
 * THIRD-PARTY-NOTICES.md must name every package bundled into dist/vendor/ with its version
 * (a row `| name | version | license |`), so that a new or updated dependency is listed.
 */
function checkNotices(packageDir: string, packages: BundledPackage[]): void {
  const notices = existsSync(join(packageDir, 'THIRD-PARTY-NOTICES.md'))
    ? readFileSync(join(packageDir, 'THIRD-PARTY-NOTICES.md'), 'utf8')
    : '';
  const missing = packages.filter((p) => !notices.includes(`| ${p.name} | ${p.version} |`));
  if (missing.length > 0) {
    throw new Error(
      `vendor: THIRD-PARTY-NOTICES.md does not list these bundled packages:\n${missing
        .map((p) => `| ${p.name} | ${p.version} | ${p.license} |`)
        .join('\n')}`,
    );
  }
}

/**
 * dist/vendor/THIRD-PARTY-LICENSES.txt: each bundled package's own license and NOTICE files, as
 * its MIT/ISC/Apache terms ask of a copy that is redistributed.
 */
function writeLicenses(file: string, packages: BundledPackage[]): void {
  // A text several packages share (the AWS SDK's Apache License, most often) is written once.
  const firstWith = new Map<string, string>();
  const sections = packages.map((p) => {
    const files = readdirSync(p.dir)
      .filter((name) => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(name))
      .sort();
    const texts = files.map((name) => {
      const text = readFileSync(join(p.dir, name), 'utf8').trim();
      const key = text.replace(/\s+/g, ' ');
      const first = firstWith.get(key);
      if (first) return `(${name}: the same text as ${first}'s above.)`;
      firstWith.set(key, `${p.name} ${p.version}`);
      return text;
    });
    const body = texts.length
      ? texts.join('\n\n')
      : `The package ships no license file; its package.json declares the license "${p.license}".`;
    return `${'='.repeat(80)}\n${p.name} ${p.version} (${p.license})\n${'='.repeat(80)}\n\n${body}\n`;
  });
  writeFileSync(
    file,
    `Third-party code bundled into this directory, with the license of each package.\n\n${sections.join('\n')}`,
  );
}

/** In the library and bin builds: the vendored packages are imported from dist/vendor/. */
function importFromVendor(packages: string[]): Plugin {
  return {
    name: 'opsmcp-import-from-vendor',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: new RegExp(`^(${packages.map(escapeRegExp).join('|')})$`) }, (args) => ({
        path: `./${VENDOR_DIR}/${fileNameOf(args.path)}.js`,
        external: true,
      }));
    },
  };
}

/**
 * The `./vendor/…` imports are relative to the importing file, right only for files at the top
 * of dist/ (every entry but a subpath entry, and every chunk). A vendored import that lands in a
 * file elsewhere fails the build here rather than at a user's first call.
 */
function checkVendorImports(distDir: string): void {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? entry.name === VENDOR_DIR && dir === distDir
          ? []
          : walk(join(dir, entry.name))
        : entry.name.endsWith('.js')
          ? [join(dir, entry.name)]
          : [],
    );
  for (const file of walk(distDir)) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/["'](\.\/vendor\/[\w.-]+\.js)["']/g)) {
      if (!existsSync(join(dirname(file), specifier as string))) {
        throw new Error(`vendor: ${relative(distDir, file)} imports ${specifier}, which is not there`);
      }
    }
  }
}

/**
 * Adds the vendoring to a package's tsup builds (`serverBuild(...)`'s library and bin): the
 * returned config builds dist/vendor/ first, then the builds with the packages imported from it.
 */
export function withVendoredPackages(builds: Options[], options: VendorOptions) {
  return async (): Promise<Options[]> => {
    const packageDir = process.cwd();
    // tsup keeps a package's dependencies external before any plugin sees them: a vendored one
    // left there would be imported from node_modules, silently, instead of from dist/vendor/.
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    const installed = options.packages.filter(
      (name) => manifest.dependencies?.[name] || manifest.peerDependencies?.[name],
    );
    if (installed.length > 0) {
      throw new Error(`vendor: ${installed.join(', ')} must be devDependencies, not installed with the package`);
    }
    await buildVendor(packageDir, options);
    return builds.map((build) => ({
      ...build,
      esbuildPlugins: [...(build.esbuildPlugins ?? []), importFromVendor(options.packages)],
      onSuccess: async () => {
        if (typeof build.onSuccess === 'string') throw new Error('vendor: an onSuccess command is not supported');
        await build.onSuccess?.();
        checkVendorImports(join(packageDir, 'dist'));
      },
    }));
  };
}

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import type { Options } from 'tsup';
import { serverBuild } from '../../tsup.server.js';
import { withVendoredPackages } from '../../tsup.vendor.js';

/**
 * node-sql-parser ships every SQL dialect (~89 MB installed); the server uses only its MySQL
 * build, so that build is bundled into dist (its own chunk, loaded by a dynamic import on the
 * first read_query) and the package is a devDependency.
 */
const parserWithoutSourceMap: Plugin = {
  name: 'node-sql-parser-mysql-without-source-map',
  setup(build) {
    // Without its own source map (1.7 MB of generated grammar code) the parser is mapped as the
    // minified file it is, which keeps the installed package small.
    build.onLoad({ filter: /[\\/]node-sql-parser[\\/]build[\\/]mysql\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), loader: 'js' };
    });
  },
};

/**
 * The library build maps the parser's chunk onto its own generated grammar code, half a megabyte
 * that tells a reader nothing: the chunk ships without a map.
 */
function dropParserSourceMap(dir: string): void {
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.js') || !existsSync(join(dir, `${file}.map`))) continue;
    const code = readFileSync(join(dir, file), 'utf8');
    if (!code.includes('NodeSQLParser')) continue;
    writeFileSync(join(dir, file), code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
    rmSync(join(dir, `${file}.map`));
  }
}

// The simulated cluster ships behind the ./sandbox subpath, apart from the runtime entry; the
// agent that runs next to a customer's cluster (remote mode) is a second executable.
const builds = serverBuild({
  entries: { 'sandbox/index': 'src/sandbox/index.ts' },
  bins: { 'agent-bin': 'src/agent/bin.ts' },
}) as Options[];

/**
 * mysql2 is bundled into dist/vendor/ too: installed, it brings @types/node as a peer (npm installs
 * peers) and every dependency unminified; bundled, the driver and its character sets are one file.
 */
export default withVendoredPackages(
  builds.map((options) => ({
    ...options,
    noExternal: [...(options.noExternal ?? []), /^node-sql-parser(\/|$)/],
    esbuildPlugins: [...(options.esbuildPlugins ?? []), parserWithoutSourceMap],
    onSuccess: async () => {
      if (typeof options.onSuccess === 'function') await options.onSuccess();
      dropParserSourceMap('dist');
    },
  })),
  // cardinal only colours mysql2's debug output, in a try/catch.
  { packages: ['mysql2'], optional: ['cardinal'] },
);

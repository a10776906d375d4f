import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import type { Options } from 'tsup';
import { serverBuild } from '../../tsup.server.js';

/**
 * node-sql-parser ships every SQL dialect (~89 MB installed); the server uses only its MySQL
 * build, so that build is bundled into dist and the package is a devDependency. The source loads
 * it lazily with `createRequire(import.meta.url)('node-sql-parser/build/mysql')`, which esbuild
 * cannot follow; this plugin turns that one call into a plain `require(…)`, which esbuild bundles
 * and still runs only on the first call. The build fails if the call is no longer there, so a
 * change of how the parser is loaded cannot silently leave it external.
 */
const SQL_PARSER_LOAD = /createRequire\(import\.meta\.url\)\((['"])node-sql-parser\/build\/mysql\1\)/g;

const bundleMysqlParser: Plugin = {
  name: 'bundle-node-sql-parser-mysql',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]sql-guard\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('node-sql-parser/build/mysql')) return undefined;
      const rewritten = source.replace(SQL_PARSER_LOAD, "require('node-sql-parser/build/mysql')");
      if (/createRequire\([^)]*\)\(\s*['"]node-sql-parser/.test(rewritten)) {
        throw new Error('sql-guard.ts loads node-sql-parser in a way the starrocks build cannot bundle');
      }
      return { contents: rewritten, loader: 'ts' };
    });
    // Without its own source map (1.7 MB of generated grammar code) the parser is mapped as the
    // minified file it is, which keeps the installed package small.
    build.onLoad({ filter: /[\\/]node-sql-parser[\\/]build[\\/]mysql\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), loader: 'js' };
    });
  },
};

// The simulated cluster ships behind the ./sandbox subpath, apart from the runtime entry.
const builds = serverBuild({ entries: { 'sandbox/index': 'src/sandbox/index.ts' } }) as Options[];

export default builds.map((options) => ({
  ...options,
  noExternal: [...(options.noExternal ?? []), /^node-sql-parser(\/|$)/],
  esbuildPlugins: [...(options.esbuildPlugins ?? []), bundleMysqlParser],
}));

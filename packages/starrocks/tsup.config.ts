import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import type { Options } from 'tsup';
import { serverBuild } from '../../tsup.server.js';

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

// The simulated cluster ships behind the ./sandbox subpath, apart from the runtime entry; the
// agent that runs next to a customer's cluster (remote mode) is a second executable.
const builds = serverBuild({
  entries: { 'sandbox/index': 'src/sandbox/index.ts' },
  bins: { 'agent-bin': 'src/agent/bin.ts' },
}) as Options[];

export default builds.map((options) => ({
  ...options,
  noExternal: [...(options.noExternal ?? []), /^node-sql-parser(\/|$)/],
  esbuildPlugins: [...(options.esbuildPlugins ?? []), parserWithoutSourceMap],
}));

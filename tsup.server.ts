import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * The build of a server package: the library entry keeps its dependencies external (embedders
 * bring their own), while the bin bundles its startup path — the package, @opsmcp/core, the MCP
 * SDK and zod — into one file, because `npx` cold start is dominated by resolving and loading
 * hundreds of small modules. The package's other dependencies (backend SDKs, drivers) stay
 * external and load on first use. `entries` adds library entries behind subpath exports (e.g. a
 * package's `./sandbox`), built like the root entry; `bins` adds executables built like `bin`.
 */
/**
 * zod re-exports every one of its ~50 message locales from its main entry (a quarter of a
 * megabyte of code that every start parses); the servers speak English only, so the bundled bins
 * get a `locales` namespace with just `en`, the locale zod configures itself with.
 */
const englishZodLocale: Plugin = {
  name: 'zod-english-locale-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

export function serverBuild(options: { entries?: Record<string, string>; bins?: Record<string, string> } = {}) {
  return defineConfig([
    {
      name: 'library',
      entry: { index: 'src/index.ts', ...options.entries },
      format: ['esm'],
      target: 'node20',
      dts: true,
      sourcemap: true,
      // Maps point at file and line; the sources themselves are not shipped again inside them
      // (half a megabyte per server of what `npx -y` downloads).
      esbuildOptions(options) {
        options.sourcesContent = false;
      },
      clean: false,
      splitting: true,
      // The tools' listed schemas, computed once here instead of at every start.
      onSuccess: async () => {
        // Server packages live at packages/<name>: the script is at the repository root.
        execFileSync(process.execPath, [join(process.cwd(), '../../scripts/write-tool-listings.mjs')], {
          stdio: 'inherit',
        });
      },
    },
    {
      name: 'bin',
      entry: { bin: 'src/bin.ts', ...options.bins },
      format: ['esm'],
      target: 'node20',
      platform: 'node',
      sourcemap: false,
      clean: false,
      splitting: true,
      minify: true,
      noExternal: ['@opsmcp/core', /^@modelcontextprotocol\/sdk(\/|$)/, /^zod(\/|$)/],
      esbuildPlugins: [englishZodLocale],
      // Bundled CommonJS dependencies call require(); give the ESM bundle one.
      banner: {
        js: "import { createRequire as __opsmcpCreateRequire } from 'node:module';\nconst require = __opsmcpCreateRequire(import.meta.url);",
      },
    },
  ]);
}

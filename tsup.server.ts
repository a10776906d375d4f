import { defineConfig } from 'tsup';

/**
 * The build of a server package: the library entry keeps its dependencies external (embedders
 * bring their own), while the bin bundles its startup path — the package, @opsmcp/core, the MCP
 * SDK and zod — into one file, because `npx` cold start is dominated by resolving and loading
 * hundreds of small modules. The package's other dependencies (backend SDKs, drivers) stay
 * external and load on first use. `entries` adds library entries behind subpath exports (e.g. a
 * package's `./sandbox`), built like the root entry.
 */
export function serverBuild(options: { entries?: Record<string, string> } = {}) {
  return defineConfig([
    {
      name: 'library',
      entry: { index: 'src/index.ts', ...options.entries },
      format: ['esm'],
      target: 'node20',
      dts: true,
      sourcemap: true,
      clean: false,
      splitting: true,
    },
    {
      name: 'bin',
      entry: { bin: 'src/bin.ts' },
      format: ['esm'],
      target: 'node20',
      platform: 'node',
      sourcemap: false,
      clean: false,
      splitting: true,
      minify: true,
      noExternal: ['@opsmcp/core', /^@modelcontextprotocol\/sdk(\/|$)/, /^zod(\/|$)/],
      // Bundled CommonJS dependencies call require(); give the ESM bundle one.
      banner: {
        js: "import { createRequire as __opsmcpCreateRequire } from 'node:module';\nconst require = __opsmcpCreateRequire(import.meta.url);",
      },
    },
  ]);
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const sandboxDir = join(packageDir, 'src/sandbox');

/** Every module specifier imported by the sandbox's source files, with the importing file. */
function sandboxImports(): { file: string; specifier: string }[] {
  const found: { file: string; specifier: string }[] = [];
  for (const file of readdirSync(sandboxDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(sandboxDir, file), 'utf8');
    for (const m of source.matchAll(/(?:from\s+|import\()\s*'([^']+)'/g)) {
      found.push({ file: join(sandboxDir, file), specifier: m[1] as string });
    }
  }
  return found;
}

describe('sandbox', () => {
  it('answers from its own code: it imports nothing of the runtime it stands in for', () => {
    const imports = sandboxImports();
    expect(imports.length).toBeGreaterThan(0);
    const outside = imports.filter(({ file, specifier }) => {
      if (specifier.startsWith('.')) return !resolve(dirname(file), specifier).startsWith(`${sandboxDir}/`);
      return !(specifier.startsWith('node:') || specifier === 'mysql2' || specifier === '@opsmcp/core');
    });
    expect(outside).toEqual([]);
  });

  it('ships behind the ./sandbox subpath, and the package root exports none of it', async () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; import: string }>;
    };
    const entry = pkg.exports['./sandbox'];
    const root = pkg.exports['.'];
    if (!entry || !root) throw new Error('package.json must export "." and "./sandbox"');
    expect(existsSync(join(packageDir, entry.types)), 'build the package first').toBe(true);
    const sandbox = (await import(pathToFileURL(join(packageDir, entry.import)).href)) as Record<string, unknown>;
    expect(Object.keys(sandbox)).toEqual(
      expect.arrayContaining(['startSimulator', 'loadScenario', 'SCENARIO_NAMES', 'answer']),
    );
    const library = (await import(pathToFileURL(join(packageDir, root.import)).href)) as Record<string, unknown>;
    expect(Object.keys(library).filter((name) => name in sandbox)).toEqual([]);
    expect(readFileSync(join(packageDir, root.types), 'utf8')).not.toMatch(/startSimulator|ScenarioData/);
  });
});

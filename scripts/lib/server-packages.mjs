// The server packages of the workspace: those whose package.json names a bin.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `{ name, dir, bin }` per server package under `<root>/packages`; `bin` is its built dist/bin.js. */
export function serverPackages(root) {
  return readdirSync(join(root, 'packages'))
    .map((name) => ({ name, dir: join(root, 'packages', name) }))
    .filter(({ dir }) => {
      try {
        return Boolean(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).bin);
      } catch {
        return false;
      }
    })
    .map(({ name, dir }) => ({ name, dir, bin: join(dir, 'dist/bin.js') }));
}

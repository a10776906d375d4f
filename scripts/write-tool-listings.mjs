// Run by every server package's build (tsup.server.ts) once its library is built: writes
// dist/tool-listings.json, the listed JSON Schemas of every tool, computed by core from the
// built definitions, so a starting server reads them instead of converting its zod schemas.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = join(process.cwd(), 'dist');
const library = await import(pathToFileURL(join(dist, 'index.js')).href);
// The package's own @opsmcp/core (its dependency), the one its definitions were built against.
const core = await import(pathToFileURL(join(process.cwd(), 'node_modules/@opsmcp/core/dist/index.js')).href);
const definitions = Object.values(library).filter(
  (value) => value && typeof value === 'object' && typeof value.packageName === 'string' && Array.isArray(value.tools),
);
if (definitions.length !== 1) {
  throw new Error(`dist/index.js should export one server definition, found ${definitions.length}`);
}
writeFileSync(join(dist, 'tool-listings.json'), `${JSON.stringify(core.toolListings(definitions[0]))}\n`);

// The zod the SDK itself uses. pnpm does not hoist zod to the workspace root, so it is found
// next to @modelcontextprotocol/sdk and loaded through its ESM entry (the one the SDK loads too,
// so the baseline pays for one zod, as a server that depends on zod would).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const sdkRequire = createRequire(fileURLToPath(import.meta.resolve('@modelcontextprotocol/sdk/server/mcp.js')));
const zodDir = dirname(sdkRequire.resolve('zod/package.json'));

export const { z } = await import(pathToFileURL(join(zodDir, 'index.js')).href);

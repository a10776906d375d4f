#!/usr/bin/env node
// The release workflow's version command (changesets/action runs it for the version PR):
// `changeset version` bumps the packages with changesets (and, through .changeset/config.json,
// every server that depends on a bumped @opsmcp/core), then every packages/<server>/server.json
// is regenerated so its version stays package.json's. Needs `pnpm build` first (server.json
// reads the settings definitions from dist).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
execFileSync('pnpm', ['changeset', 'version'], { cwd: ROOT, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/server-json.mjs'], { cwd: ROOT, stdio: 'inherit' });

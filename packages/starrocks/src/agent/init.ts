import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { OpsError } from '@opsmcp/core';
import { AGENT_VARIABLES } from './settings.js';

export interface InitResult {
  /** The .env file written. */
  path: string;
  /** The fresh AGENT_TOKEN (64 hexadecimal characters). */
  token: string;
  /** What to tell the operator: what to send to the provider, then the next steps. */
  instructions: string;
}

/** A .env template: the SR_* lines to fill in, the token, and every other setting commented with its default. */
function envFileText(token: string): string {
  const commented = AGENT_VARIABLES.filter((v) => v.env.startsWith('AGENT_') && v.env !== 'AGENT_TOKEN').map(
    (v) => `# ${v.description}\n# ${v.env}=${v.default ?? ''}`,
  );
  return [
    '# opsmcp-starrocks-agent settings. Real environment variables override this file.',
    '# Keep this file private (mode 0600): it holds the agent token and the database password.',
    '',
    '# The StarRocks cluster the agent connects to (fill these in).',
    '# StarRocks FE host',
    'SR_HOST=',
    '# FE query (MySQL protocol) port',
    'SR_PORT=9030',
    '# A user that may read information_schema and run SHOW statements (read-only is enough)',
    'SR_USER=',
    'SR_PASSWORD=',
    'SR_DATABASE=information_schema',
    '',
    '# Shared secret the central server sends in X-Agent-Token. Give it to your provider over a safe channel.',
    `AGENT_TOKEN=${token}`,
    '',
    '# Defaults of the remaining settings; uncomment to change.',
    ...commented,
    '',
  ].join('\n');
}

/**
 * Writes `<dir>/.env` (mode 0600) with a fresh token, the SR_* lines to fill in and the other
 * settings commented with their defaults. An existing .env is kept unless `force`.
 */
export function initAgent(dir: string, options: { force?: boolean } = {}): InitResult {
  const target = resolve(dir);
  const path = join(target, '.env');
  const token = randomBytes(32).toString('hex');
  mkdirSync(target, { recursive: true });
  // O_EXCL makes "refuse to overwrite" atomic; with --force the file is truncated in place.
  const flags = constants.O_WRONLY | constants.O_CREAT | (options.force ? constants.O_TRUNC : constants.O_EXCL);
  let fd: number;
  try {
    fd = openSync(path, flags, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new OpsError('INVALID_ARGUMENT', `${path} already exists; it was left unchanged`, {
        hint: 'Pass --force to replace it (a new token is generated: the provider must get it again).',
      });
    }
    throw error;
  }
  try {
    writeFileSync(fd, envFileText(token));
  } finally {
    closeSync(fd);
  }
  // An existing file replaced with --force keeps its old mode otherwise.
  chmodSync(path, 0o600);

  const instructions = [
    `Wrote ${path} (mode 0600) with a new agent token.`,
    '',
    'Send your provider, over a safe channel:',
    `  agent URL:   http://${hostname()}:8080   (use the address and port the provider can reach)`,
    `  agent token: ${token}`,
    '',
    'Next steps:',
    `  1. Edit ${path}: set SR_HOST, SR_USER and SR_PASSWORD of your StarRocks cluster.`,
    "     To be reachable from the provider, set AGENT_HOST=0.0.0.0 (or this machine's address), allow only the",
    "     provider's address in your firewall, and serve HTTPS with AGENT_TLS_CERT and AGENT_TLS_KEY.",
    `  2. Check the database connection:  opsmcp-starrocks-agent --check --env-file ${path}`,
    `  3. Start the agent:                opsmcp-starrocks-agent --env-file ${path}`,
    '  4. Test it:  curl -s -H "X-Agent-Token: <token>" http://127.0.0.1:8080/test-connection',
  ].join('\n');
  return { path, token, instructions };
}

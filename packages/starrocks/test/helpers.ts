import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { StatementExecutor } from '../src/executor.js';
import { createPoolExecutor } from '../src/pool-executor.js';
import { type Simulator, startSimulator } from '../src/sandbox/index.js';

export const USER = 'diag';
export const PASSWORD = 'simulated-secret';

export interface Cluster {
  sim: Simulator;
  executor: StatementExecutor;
}

/** A simulator on 127.0.0.1 with a pool executor connected to it, closed after the file's tests. */
export async function cluster(
  scenario: string,
  options: { delayMs?: number; queryTimeoutMs?: number } = {},
): Promise<Cluster> {
  const sim = await startSimulator({ scenario, user: USER, password: PASSWORD, delayMs: options.delayMs ?? 0 });
  const executor = createPoolExecutor({
    host: sim.host,
    port: sim.port,
    user: USER,
    password: PASSWORD,
    queryTimeoutMs: options.queryTimeoutMs ?? 10_000,
    poolSize: 8,
  });
  afterAll(async () => {
    await executor.close();
    await sim.stop();
  });
  return { sim, executor };
}

export const ids = (issues: { id: string }[]) => issues.map((i) => i.id).sort();

/** A self-signed certificate for 127.0.0.1 (EC P-256, one day), written as `cert.pem` and `key.pem` in `dir`. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

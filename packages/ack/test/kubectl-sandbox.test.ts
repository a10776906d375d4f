/** kubectl in the sandbox: the fake CS hands out a kubeconfig for the simulated API server, which serves the sandbox workloads. */
import { callTool, connectInMemory, type InMemoryConnection } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROD_CLUSTER_ID } from '../src/sandbox/cs-data.js';
import { ackServer } from '../src/server.js';

let conn: InMemoryConnection;
beforeAll(async () => {
  conn = await connectInMemory(ackServer, {
    settings: { sandbox: true, allowWrite: true, defaultClusterId: PROD_CLUSTER_ID },
  });
});
afterAll(async () => {
  await conn.close();
});

const run = (command: string) => callTool(conn.client, 'kubectl', { command });

describe('kubectl against the sandbox', () => {
  it('lists the sandbox workloads through the real kubeconfig path', async () => {
    const r = await run('get deploy -n shop');
    expect(r.isError).toBe(false);
    for (const name of ['checkout', 'frontend', 'payments', 'recommender', 'search']) expect(r.text).toContain(name);
  });

  it('shows the previous log of the crash-looping container', async () => {
    const r = await run('logs deploy/recommender -n shop --previous');
    expect(r.text).toContain('Traceback (most recent call last):');
  });

  it('masks the sandbox Secret', async () => {
    const r = await run('get secret payments-db -n shop -o yaml');
    expect(r.text).toContain('[masked]');
    expect(r.text).not.toContain(Buffer.from('sandbox-not-a-real-password-7Qx2').toString('base64'));
  });

  it('reads pod metrics', async () => {
    const r = await run('top pods -n shop --sort-by=memory');
    expect(r.isError).toBe(false);
    expect(String(r.structured?.output).split('\n')[1]).toMatch(/^search-/);
  });
});

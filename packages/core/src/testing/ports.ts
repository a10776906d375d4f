import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago: for a server a test must name before it starts
 * (an OAuth audience, a tenants file), or stops and starts again on the same port.
 */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

// Idle RSS: a stdio server after initialize and tools/list, left alone for a moment.

import { median } from '../lib/stats.mjs';
import { rssOf, startStdio } from '../lib/stdio-client.mjs';

export async function measureIdleRss(target, { runs = 3, settleMs = 1000 } = {}) {
  const values = [];
  for (let i = 0; i < runs; i++) {
    const client = startStdio(target.command, target.args, { env: target.env });
    try {
      await client.initialize();
      await client.request('tools/list');
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const rss = rssOf(client.pid);
      if (rss === null) return { medianMiB: null, note: 'RSS needs /proc (Linux)' };
      values.push(rss / 2 ** 20);
    } finally {
      await client.close();
    }
  }
  return { runs, medianMiB: median(values) };
}

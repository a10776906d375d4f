import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_PROMETHEUS_NOTE, sandboxMetricSeries } from './observability-data.js';

/**
 * The sandbox's Prometheus HTTP API, as ARMS serves it under `/api/v1/prometheus/<cluster_id>`:
 * `/api/v1/query` and `/api/v1/query_range` in Prometheus' JSON shapes. It is not a PromQL
 * engine: it answers the queries investigate_incident sends about the sandbox's pods from the
 * simulated series, and refuses any other query with Prometheus' error shape, saying so.
 */
export async function startSandboxPrometheus(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const route = /^\/api\/v1\/prometheus\/[a-z0-9]+\/api\/v1\/(query|query_range)$/.exec(url.pathname)?.[1];
    if (!route) return send(404, { status: 'error', errorType: 'not_found', error: `no route ${url.pathname}` });
    const query = url.searchParams.get('query') ?? '';
    const now = Date.now() / 1000;
    const series = sandboxMetricSeries(query, now);
    if (!series) return send(422, { status: 'error', errorType: 'execution', error: SANDBOX_PROMETHEUS_NOTE });
    if (route === 'query') {
      const time = Number(url.searchParams.get('time') ?? now);
      return send(200, {
        status: 'success',
        data: {
          resultType: 'vector',
          result: series.map((s) => ({ metric: s.metric, value: [time, String(s.valueAt(time))] })),
        },
      });
    }
    const start = Number(url.searchParams.get('start'));
    const end = Number(url.searchParams.get('end'));
    const step = Number(url.searchParams.get('step'));
    if (!(step > 0) || !(start <= end) || (end - start) / step > 11_000) {
      return send(400, {
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid start, end or step (at most 11,000 points)',
      });
    }
    const result = series.map((s) => {
      const values: Array<[number, string]> = [];
      for (let t = start; t <= end; t += step) values.push([t, String(s.valueAt(t))]);
      return { metric: s.metric, values };
    });
    return send(200, { status: 'success', data: { resultType: 'matrix', result } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

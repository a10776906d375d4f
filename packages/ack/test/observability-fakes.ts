import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@opsmcp/core/testing';
import { type AcsRoute, type ArmsPrometheusInstance, armsRoutes, stsRoutes } from '../src/sandbox/arms-fake.js';
import { createCsSandboxState, type SandboxCluster } from '../src/sandbox/cs-data.js';
import { type CsFake, startCsFake } from '../src/sandbox/cs-fake.js';

export const OBS_KEY = {
  accessKeyId: 'LTAI5tOBSERVABILITY0001',
  accessKeySecret: 'ObservabilityTestSecret000000000001',
};
export const CLUSTER_ID = 'c0123456789abcdef0123456789abcdef';
export const OTHER_CLUSTER_ID = 'cfedcba9876543210fedcba9876543210';
export const CLUSTER_REGION = 'cn-hangzhou';
export const ACCOUNT_ID = '1234567890123456';

export interface ClusterLogFacts {
  region: string;
  audit?: { audit_enabled: boolean; sls_project_name: string };
  controlplane?: { log_project: string; components: string[] };
}

/**
 * The CS fake serving `clusters` (DescribeClusterDetail for their regions, GetClusterAuditProject
 * and CheckControlPlaneLogEnable for their log collection), signed requests checked against `keys`.
 */
export function startClusterLogsCsFake(clusters: Record<string, ClusterLogFacts>, keys = [OBS_KEY]): Promise<CsFake> {
  const state = createCsSandboxState();
  const template = state.clusters[0] as SandboxCluster;
  state.clusters = Object.entries(clusters).map(([id, facts]) => ({
    ...template,
    cluster_id: id,
    name: `obs-test-${id.slice(0, 6)}`,
    region_id: facts.region,
  }));
  state.clusterLogs = Object.fromEntries(
    Object.entries(clusters).map(([id, facts]) => [
      id,
      {
        audit: facts.audit ?? { audit_enabled: false, sls_project_name: '' },
        controlplane: {
          ...(facts.controlplane ?? { log_project: '', components: [] }),
          log_ttl: '30',
          aliuid: ACCOUNT_ID,
        },
      },
    ]),
  );
  return startCsFake({ keys, state });
}

/** ARMS GetPrometheusInstance and STS GetCallerIdentity. */
export function cloudRoutes(instances: () => readonly ArmsPrometheusInstance[]): Record<string, AcsRoute> {
  return { ...armsRoutes(instances), ...stsRoutes(ACCOUNT_ID) };
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export interface RunningPrometheus {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The real Prometheus on a free loopback port, its own data dir, scraping itself and `targets` every second. */
export async function startPrometheus(targets: string[]): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'ack-prometheus-'));
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: prometheus',
    `    static_configs: [{ targets: ["127.0.0.1:${port}"] }]`,
    '  - job_name: exporter',
    `    static_configs: [{ targets: [${targets.map((t) => `"${t}"`).join(', ')}] }]`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr.slice(0, 500)}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`prometheus did not get ready: ${stderr.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until an instant query returns at least `count` series. */
export async function waitForSeries(url: string, query: string, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await r.json()) as { data?: { result?: unknown[] } };
    if ((body.data?.result?.length ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`series of ${query} not ingested in time`);
    await new Promise((res) => setTimeout(res, 300));
  }
}

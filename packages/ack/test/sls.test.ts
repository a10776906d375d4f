import { callTool, connectInMemory, startHttp } from '@opsmcp/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveDomainToLoopback } from '../src/observability/host-resolver.js';
import { type AcsFake, startAcsFake } from '../src/sandbox/arms-fake.js';
import type { CsFake } from '../src/sandbox/cs-fake.js';
import { type SlsFake, type SlsRow, startSlsFake } from '../src/sandbox/sls-fake.js';
import { ackServer } from '../src/server.js';
import {
  ACCOUNT_ID,
  CLUSTER_ID,
  CLUSTER_REGION,
  cloudRoutes,
  OBS_KEY,
  startClusterLogsCsFake,
} from './observability-fakes.js';

const PROJECT = `k8s-log-${CLUSTER_ID}`;
const now = () => Math.floor(Date.now() / 1000);

function events(): SlsRow[] {
  const t = now();
  return [
    {
      __time__: String(t - 600),
      __topic__: 'k8s_event',
      type: 'Normal',
      reason: 'Pulled',
      message: 'image pulled',
      'involvedObject.name': 'cart-1',
    },
    {
      __time__: String(t - 300),
      __topic__: 'k8s_event',
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      'involvedObject.name': 'cart-1',
    },
    {
      __time__: String(t - 60),
      __topic__: 'k8s_event',
      type: 'Warning',
      reason: 'OOMKilling',
      message: 'Memory cgroup out of memory',
      'involvedObject.name': 'cart-1',
    },
  ];
}

function apiserverLogs(): SlsRow[] {
  const t = now();
  return [
    { __time__: String(t - 120), level: 'E', message: 'etcd request timed out', source: 'store.go:100' },
    { __time__: String(t - 30), level: 'I', message: 'watch chan closed', source: 'watcher.go:20' },
  ];
}

let cleanupDns: () => void;
let sls: SlsFake;
let cloud: AcsFake;
let cs: CsFake;

beforeAll(async () => {
  cleanupDns = resolveDomainToLoopback('sls.test');
  sls = await startSlsFake({
    keys: [OBS_KEY],
    rows: (project, logstore) => {
      if (project !== PROJECT) return undefined;
      if (logstore === 'k8s-event') return events();
      if (logstore === `apiserver-${CLUSTER_ID}`) return apiserverLogs();
      return undefined;
    },
    aiTool: (tool, params, region) =>
      `thinking about ${params['sys.query']?.slice(0, 10)} in ${region}\n------answer------\n${tool}:${params.project}:${params.logstore ?? params.metricstore}\n`,
  });
  cs = await startClusterLogsCsFake({
    [CLUSTER_ID]: { region: CLUSTER_REGION, controlplane: { log_project: PROJECT, components: ['apiserver', 'kcm'] } },
  });
  cloud = await startAcsFake({ keys: [OBS_KEY], routes: cloudRoutes(() => []) });
});

afterAll(async () => {
  await sls?.stop();
  await cloud?.stop();
  await cs?.stop();
  cleanupDns?.();
});

beforeEach(() => {
  (sls.requests as unknown[]).length = 0;
});

function settings(extra: Record<string, unknown> = {}) {
  return {
    alibabaAccessKeyId: OBS_KEY.accessKeyId,
    alibabaAccessKeySecret: OBS_KEY.accessKeySecret,
    csEndpoint: cs.url,
    stsEndpoint: cloud.url,
    slsEndpoint: `http://${sls.endpoint}`,
    maxRetries: 0,
    ...extra,
  };
}

async function withServer<T>(
  run: (call: (tool: string, args: Record<string, unknown>) => ReturnType<typeof callTool>) => Promise<T>,
  extra = {},
) {
  const conn = await connectInMemory(ackServer, { settings: settings(extra) });
  try {
    return await run((tool, args) => callTool(conn.client, tool, args));
  } finally {
    await conn.close();
  }
}

describe('sls_execute_sql_query', () => {
  it('queries k8s-event in k8s-log-<cluster_id>, newest first, signed with the LOG signature', async () => {
    await withServer(async (call) => {
      const r = await call('sls_execute_sql_query', { cluster_id: CLUSTER_ID, query: 'type: Warning' });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({ project: PROJECT, logstore: 'k8s-event', count: 2, complete: true });
      const rows = r.structured?.rows as SlsRow[];
      expect(rows.map((x) => x.reason)).toEqual(['OOMKilling', 'BackOff']);
      expect(r.structured?.request_id).toMatch(/^[0-9A-F]{24}$/);
      const sent = sls.requests.at(-1);
      expect(sent?.project).toBe(PROJECT);
      expect(sent?.signature.ok).toBe(true);
      expect(sent?.query).toMatchObject({ type: 'log', reverse: 'true', line: '100', query: 'type: Warning' });
    });
  });

  it('re-runs an Incomplete query until SLS says Complete', async () => {
    sls.incompleteNext(2);
    await withServer(async (call) => {
      const r = await call('sls_execute_sql_query', { cluster_id: CLUSTER_ID, query: '*', limit: 1 });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({ complete: true, count: 1 });
      expect(sls.requests.filter((q) => q.path === '/logstores/k8s-event')).toHaveLength(3);
    });
  });

  it('still Incomplete at the deadline (API_TIMEOUT): returns the rows so far with complete false', async () => {
    sls.incompleteNext(1000);
    try {
      await withServer(
        async (call) => {
          const r = await call('sls_execute_sql_query', { cluster_id: CLUSTER_ID, query: '*' });
          expect(r.isError, r.text).toBe(false);
          expect(r.structured).toMatchObject({ complete: false, count: 3 });
          const runs = sls.requests.filter((q) => q.path === '/logstores/k8s-event').length;
          expect(runs).toBeGreaterThan(1);
          expect(runs).toBeLessThan(6);
        },
        { apiTimeout: 1 },
      );
    } finally {
      sls.incompleteNext(0);
    }
  });

  it('a missing logstore is RESOURCE_NOT_FOUND with the SLS code and request id', async () => {
    await withServer(async (call) => {
      const r = await call('sls_execute_sql_query', { cluster_id: CLUSTER_ID, query: '*', logstore: 'no-such-store' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('RESOURCE_NOT_FOUND');
      expect(r.text).toContain('LogStoreNotExist');
      expect(r.text).toMatch(/[0-9A-F]{24}/);
    });
  });

  it('a denial is PERMISSION_DENIED naming log:GetLogStoreLogs', async () => {
    sls.failNext({ status: 403, errorCode: 'Unauthorized', errorMessage: 'denied by sts or ram' });
    await withServer(async (call) => {
      const r = await call('sls_execute_sql_query', { cluster_id: CLUSTER_ID, query: '*' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('PERMISSION_DENIED');
      expect(r.text).toContain('log:GetLogStoreLogs');
      expect(r.text).toContain('denied by sts or ram');
    });
  });

  it('bad input is INVALID_ARGUMENT and nothing reaches SLS', async () => {
    await withServer(async (call) => {
      for (const args of [
        { cluster_id: CLUSTER_ID, query: '' },
        { cluster_id: CLUSTER_ID, query: '*', logstore: 'Bad Store' },
        { cluster_id: CLUSTER_ID, query: '*', limit: 0 },
        { cluster_id: CLUSTER_ID, query: '*', from_time: 'last week' },
      ]) {
        const r = await call('sls_execute_sql_query', args);
        expect(r.text).toContain('INVALID_ARGUMENT');
      }
      expect(sls.requests).toHaveLength(0);
    });
  });
});

describe('SLS AI tools', () => {
  it('sls_translate_text_to_sql_query calls text_to_sql on the bare endpoint and returns the answer part', async () => {
    await withServer(async (call) => {
      const r = await call('sls_translate_text_to_sql_query', { cluster_id: CLUSTER_ID, text: 'warnings by reason' });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({ query: `text_to_sql:${PROJECT}:k8s-event`, logstore: 'k8s-event' });
      const sent = sls.requests.at(-1);
      expect(sent?.project).toBeUndefined();
      expect(sent?.path).toBe('/ml/tool/call');
      expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({ toolName: 'text_to_sql', regionId: CLUSTER_REGION });
      expect(JSON.parse(sent?.body ?? '{}').params['sys.query']).toMatch(
        /^当前时间: \d{4}-\d{2}-\d{2} .*问题:warnings by reason$/,
      );
    });
  });

  it('sls_diagnose_query sends diagnosis_sql with the query and the error', async () => {
    await withServer(async (call) => {
      const r = await call('sls_diagnose_query', {
        cluster_id: CLUSTER_ID,
        query: 'a | select',
        error_message: 'line 1:5 mismatched',
      });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured?.diagnosis).toBe(`diagnosis_sql:${PROJECT}:k8s-event`);
      expect(JSON.parse(sls.requests.at(-1)?.body ?? '{}').params['sys.query']).toContain('a | select');
    });
  });

  it("cms_translate_text_to_promql uses text_to_promql on the account's CMS workspace project", async () => {
    await withServer(async (call) => {
      const r = await call('cms_translate_text_to_promql', { cluster_id: CLUSTER_ID, text: 'cpu of shop pods' });
      expect(r.isError, r.text).toBe(false);
      const project = `workspace-default-cms-${ACCOUNT_ID}-${CLUSTER_REGION}`;
      expect(r.structured).toMatchObject({ promql: `text_to_promql:${project}:aliyun-prom-${CLUSTER_ID}`, project });
      expect(cloud.requests.some((q) => q.action === 'GetCallerIdentity' && q.signature.ok)).toBe(true);
    });
  });

  it('an SLS error on CallAiTools keeps the SLS code', async () => {
    sls.failNext({ status: 400, errorCode: 'ParameterInvalid', errorMessage: 'tool params invalid' });
    await withServer(async (call) => {
      const r = await call('sls_translate_text_to_sql_query', { cluster_id: CLUSTER_ID, text: 'x' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('INVALID_ARGUMENT');
      expect(r.text).toContain('tool params invalid');
    });
  });
});

describe('AI tools and control-plane logs: upstream errors and bad input', () => {
  it('a CS denial of CheckControlPlaneLogEnable is PERMISSION_DENIED naming the cs: action', async () => {
    cs.failNext('CheckControlPlaneLogEnable', { status: 403, code: 'Forbidden.RAM', message: 'not authorized' });
    await withServer(async (call) => {
      const r = await call('query_controlplane_logs', { cluster_id: CLUSTER_ID, component_name: 'apiserver' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('PERMISSION_DENIED');
      expect(r.text).toContain('cs:CheckControlPlaneLogEnable');
    });
  });

  it('an STS failure stops cms_translate_text_to_promql before SLS is asked', async () => {
    const { AcsFault } = await import('../src/sandbox/arms-fake.js');
    cloud.failNext('GetCallerIdentity', new AcsFault(500, 'InternalError', 'sts is down'), 3);
    await withServer(async (call) => {
      const r = await call('cms_translate_text_to_promql', { cluster_id: CLUSTER_ID, text: 'cpu' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('UPSTREAM_ERROR');
      expect(r.text).toContain('STS GetCallerIdentity');
      expect(sls.requests).toHaveLength(0);
    });
  });

  it('sls_diagnose_query refuses a denial with the SLS message', async () => {
    sls.failNext({ status: 403, errorCode: 'Unauthorized', errorMessage: 'no access to ai tools' });
    await withServer(async (call) => {
      const r = await call('sls_diagnose_query', { cluster_id: CLUSTER_ID, query: 'x', error_message: 'y' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('PERMISSION_DENIED');
      expect(r.text).toContain('no access to ai tools');
    });
  });

  it('bad input to every SLS-backed tool is INVALID_ARGUMENT and nothing is sent', async () => {
    await withServer(async (call) => {
      const cases: Array<[string, Record<string, unknown>]> = [
        ['sls_translate_text_to_sql_query', { cluster_id: CLUSTER_ID, text: '' }],
        ['sls_translate_text_to_sql_query', { cluster_id: CLUSTER_ID, text: 'x', logstore: 'A!' }],
        ['sls_diagnose_query', { cluster_id: CLUSTER_ID, query: 'x' }],
        ['cms_translate_text_to_promql', { cluster_id: 'c123', text: 'x' }],
        ['query_controlplane_logs', { cluster_id: CLUSTER_ID, component_name: 'Kube API' }],
        ['query_controlplane_logs', { cluster_id: CLUSTER_ID, component_name: 'apiserver', limit: 500 }],
        ['cms_execute_promql_query', { cluster_id: CLUSTER_ID, query: 'up', from_timestamp: 20, to_timestamp: 10 }],
      ];
      for (const [tool, args] of cases) {
        const r = await call(tool, args);
        expect(r.text, `${tool} ${JSON.stringify(args)}`).toContain('INVALID_ARGUMENT');
      }
      expect(sls.requests).toHaveLength(0);
    });
  });
});

describe('query_controlplane_logs', () => {
  it('reads <component>-<cluster_id> in the project CheckControlPlaneLogEnable names, newest first', async () => {
    await withServer(async (call) => {
      const r = await call('query_controlplane_logs', { cluster_id: CLUSTER_ID, component_name: 'apiserver' });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({
        project: PROJECT,
        logstore: `apiserver-${CLUSTER_ID}`,
        query: '*',
        total: 2,
      });
      const entries = r.structured?.entries as Array<{ message: string; level: string; source: string }>;
      expect(entries.map((e) => e.message)).toEqual(['watch chan closed', 'etcd request timed out']);
      expect(entries[1]).toMatchObject({ level: 'E', source: 'store.go:100' });
      const filtered = await call('query_controlplane_logs', {
        cluster_id: CLUSTER_ID,
        component_name: 'apiserver',
        filter_pattern: 'etcd',
      });
      expect(filtered.structured?.total).toBe(1);
    });
  });

  it('a component that is not enabled is an error naming the enabled ones', async () => {
    await withServer(async (call) => {
      const r = await call('query_controlplane_logs', { cluster_id: CLUSTER_ID, component_name: 'scheduler' });
      expect(r.isError).toBe(true);
      expect(r.text).toContain('INVALID_ARGUMENT');
      expect(r.text).toContain('enabled: apiserver, kcm');
      expect(sls.requests).toHaveLength(0);
    });
  });
});

describe('get_current_time', () => {
  it('answers ISO, unix seconds and the time zone', async () => {
    await withServer(async (call) => {
      const r = await call('get_current_time', {});
      expect(r.isError).toBe(false);
      expect(Math.abs((r.structured?.current_time_unix as number) - now())).toBeLessThan(5);
      expect(Date.parse(r.structured?.current_time_iso as string)).not.toBeNaN();
      expect(typeof r.structured?.timezone).toBe('string');
    });
  });
});

describe('header credentials', () => {
  it('20 sessions with their own X-Aliyun keys: every SLS request is signed with its own session key', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => ({
      accessKeyId: `LTAI5tSESSION${String(i).padStart(4, '0')}`,
      accessKeySecret: `SessionSecret${i}xxxxxxxxxxxxxxxxxxxx`,
    }));
    for (const key of keys) {
      sls.addKey(key);
      cloud.addKey(key);
      cs.addKey(key);
    }
    const server = await startHttp(ackServer, {
      settings: {
        csEndpoint: cs.url,
        slsEndpoint: `http://${sls.endpoint}`,
        credentialSource: 'headers',
        maxRetries: 0,
      },
    });
    try {
      const results = await Promise.all(
        keys.map(async (key) => {
          const client = await server.connect({
            headers: { 'X-Aliyun-Access-Key-Id': key.accessKeyId, 'X-Aliyun-Access-Key-Secret': key.accessKeySecret },
          });
          const r = await callTool(client, 'sls_execute_sql_query', {
            cluster_id: CLUSTER_ID,
            query: `reason: BackOff`,
          });
          return { key, r };
        }),
      );
      for (const { r } of results) expect(r.isError, r.text).toBe(false);
      const signed = sls.requests.filter((q) => q.path === '/logstores/k8s-event');
      expect(signed).toHaveLength(20);
      expect(signed.every((q) => q.signature.ok)).toBe(true);
      expect(new Set(signed.map((q) => q.accessKeyId))).toEqual(new Set(keys.map((k) => k.accessKeyId)));
    } finally {
      await server.close();
    }
  });
});

import { callTool, connectInMemory } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAuditQuery, expandResourceType, parseAuditRow, slsTerm } from '../src/observability/audit.js';
import { resolveDomainToLoopback } from '../src/observability/host-resolver.js';
import type { CsFake } from '../src/sandbox/cs-fake.js';
import { type SlsFake, type SlsRow, startSlsFake } from '../src/sandbox/sls-fake.js';
import { ackServer } from '../src/server.js';
import {
  CLUSTER_ID,
  CLUSTER_REGION,
  OBS_KEY,
  OTHER_CLUSTER_ID,
  startClusterLogsCsFake,
} from './observability-fakes.js';

/** The parts of an entry the assertions read. */
interface AuditView {
  verb: string;
  request_object: { spec: { ports: Array<{ port: number }> }; data?: unknown };
  response_object: { spec: { ports: Array<{ port: number }> } };
  [field: string]: unknown;
}

const AUDIT_PROJECT = `k8s-log-${CLUSTER_ID}`;
const SA_USER = 'system:serviceaccount:kube-system:cleanup-bot';

function auditRow(secondsAgo: number, fields: Record<string, unknown>): SlsRow {
  const t = Math.floor(Date.now() / 1000) - secondsAgo;
  const row: SlsRow = {
    __time__: String(t),
    requestReceivedTimestamp: new Date(t * 1000).toISOString(),
    stage: 'ResponseComplete',
  };
  for (const [k, v] of Object.entries(fields)) row[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return row;
}

const service = {
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name: 'payments', namespace: 'shop' },
  spec: { ports: [{ name: 'http', port: 8443, targetPort: 8080, protocol: 'TCP' }], selector: { app: 'payments' } },
};

function rows(): SlsRow[] {
  return [
    auditRow(3600, {
      verb: 'create',
      user: { username: 'kubernetes-admin', groups: ['system:masters'] },
      objectRef: { resource: 'services', namespace: 'shop', name: 'payments', apiVersion: 'v1' },
      responseStatus: { code: 201 },
      sourceIPs: ['10.0.0.8'],
      requestObject: service,
    }),
    auditRow(1800, {
      verb: 'get',
      user: { username: 'kubernetes-admin' },
      objectRef: { resource: 'services', namespace: 'shop', name: 'payments' },
      responseStatus: { code: 200 },
      sourceIPs: ['10.0.0.8'],
    }),
    auditRow(900, {
      verb: 'delete',
      user: { username: SA_USER, groups: ['system:serviceaccounts'] },
      objectRef: { resource: 'services', namespace: 'shop', name: 'payments', apiVersion: 'v1' },
      responseStatus: { code: 200, status: 'Success' },
      sourceIPs: ['172.16.3.9'],
      userAgent: 'cleanup-bot/1.2',
      responseObject: { ...service, metadata: { ...service.metadata, deletionTimestamp: 'x' } },
    }),
    auditRow(600, {
      verb: 'update',
      user: { username: 'kubernetes-admin' },
      objectRef: { resource: 'secrets', namespace: 'shop', name: 'db-password' },
      responseStatus: { code: 200 },
      sourceIPs: ['10.0.0.8'],
      requestObject: { kind: 'Secret', metadata: { name: 'db-password' }, data: { password: 'c3VwZXJzZWNyZXQ=' } },
    }),
  ];
}

let cleanupDns: () => void;
let sls: SlsFake;
let cs: CsFake;

beforeAll(async () => {
  cleanupDns = resolveDomainToLoopback('sls.test');
  sls = await startSlsFake({
    keys: [OBS_KEY],
    rows: (project, logstore) => (project === AUDIT_PROJECT && logstore === `audit-${CLUSTER_ID}` ? rows() : undefined),
  });
  cs = await startClusterLogsCsFake({
    [CLUSTER_ID]: { region: CLUSTER_REGION, audit: { audit_enabled: true, sls_project_name: AUDIT_PROJECT } },
    [OTHER_CLUSTER_ID]: { region: CLUSTER_REGION, audit: { audit_enabled: false, sls_project_name: '' } },
  });
});

afterAll(async () => {
  await sls?.stop();
  await cs?.stop();
  cleanupDns?.();
});

async function call(tool: string, args: Record<string, unknown>) {
  const conn = await connectInMemory(ackServer, {
    settings: {
      alibabaAccessKeyId: OBS_KEY.accessKeyId,
      alibabaAccessKeySecret: OBS_KEY.accessKeySecret,
      csEndpoint: cs.url,
      slsEndpoint: `http://${sls.endpoint}`,
      maxRetries: 0,
    },
  });
  try {
    return await callTool(conn.client, tool, args);
  } finally {
    await conn.close();
  }
}

describe('audit query building', () => {
  it('expands short names, lower-cases, keeps unknown names', () => {
    expect(['svc', 'Deploy', 'cm', 'pvc', 'sa', 'ing', 'widgets'].map(expandResourceType)).toEqual([
      'services',
      'deployments',
      'configmaps',
      'persistentvolumeclaims',
      'serviceaccounts',
      'ingresses',
      'widgets',
    ]);
  });

  it('quotes every value (service-account user names stay one term) and keeps a trailing * outside the quotes', () => {
    expect(
      buildAuditQuery({
        user: SA_USER,
        namespace: 'kube*',
        verbs: ['delete', 'PATCH'],
        resourceTypes: ['svc', 'service', 'deploy'],
        resourceName: 'pay"ments',
      }),
    ).toBe(
      `user.username: "${SA_USER}" and objectRef.namespace: "kube"* and (verb: "delete" or verb: "patch") and ` +
        '(objectRef.resource: "services" or objectRef.resource: "deployments") and objectRef.name: "pay\\"ments"',
    );
    expect(slsTerm('a\\b')).toBe('"a\\\\b"');
  });

  it('is * when nothing narrows it (* values are skipped)', () => {
    expect(buildAuditQuery({})).toBe('*');
    expect(buildAuditQuery({ namespace: '*', verbs: [], user: ' ' })).toBe('*');
  });
});

describe('query_audit_log', () => {
  it('who deleted the service and what was its port: newest first, objects on request', async () => {
    const r = await call('query_audit_log', {
      cluster_id: CLUSTER_ID,
      namespace: 'shop',
      resource_types: 'svc',
      resource_name: 'payments',
      start_time: '2h',
      include_objects: true,
    });
    expect(r.isError, r.text).toBe(false);
    expect(r.structured).toMatchObject({
      project: AUDIT_PROJECT,
      logstore: `audit-${CLUSTER_ID}`,
      provider_query: 'objectRef.namespace: "shop" and (objectRef.resource: "services") and objectRef.name: "payments"',
      total: 3,
    });
    const entries = r.structured?.entries as Array<AuditView>;
    expect(entries.map((e) => e.verb)).toEqual(['delete', 'get', 'create']);
    expect(entries[0]).toMatchObject({
      user: { username: SA_USER, groups: ['system:serviceaccounts'] },
      object_ref: { resource: 'services', namespace: 'shop', name: 'payments' },
      response_code: 200,
      source_ips: ['172.16.3.9'],
      user_agent: 'cleanup-bot/1.2',
    });
    expect(entries[0]?.response_object.spec.ports[0]?.port).toBe(8443);
    expect(entries[2]?.request_object.spec.ports[0]?.port).toBe(8443);
    const sent = sls.requests.at(-1);
    expect(sent?.query).toMatchObject({ reverse: 'true', line: '10', offset: '0' });
    expect(sent?.signature.ok).toBe(true);
  });

  it('filters by a service-account user and verbs given as JSON text; objects left out by default', async () => {
    const r = await call('query_audit_log', { cluster_id: CLUSTER_ID, user: SA_USER, verbs: '["delete"]' });
    expect(r.isError, r.text).toBe(false);
    const entries = r.structured?.entries as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(1);
    expect(entries[0]?.request_object).toBeUndefined();
    expect(entries[0]?.response_object).toBeUndefined();
  });

  it('masks Secret data in request objects', async () => {
    const r = await call('query_audit_log', {
      cluster_id: CLUSTER_ID,
      resource_types: ['secret'],
      include_objects: true,
    });
    expect(r.isError, r.text).toBe(false);
    expect(r.text).not.toContain('c3VwZXJzZWNyZXQ=');
    const entries = r.structured?.entries as Array<AuditView>;
    expect(entries[0]?.request_object.data).toEqual({ password: '***' });
  });

  it('a cluster without auditing is OPERATION_NOT_SUPPORTED and SLS is not asked', async () => {
    const before = sls.requests.length;
    const r = await call('query_audit_log', { cluster_id: OTHER_CLUSTER_ID });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('OPERATION_NOT_SUPPORTED');
    expect(sls.requests.length).toBe(before);
  });

  it('bad input is INVALID_ARGUMENT', async () => {
    for (const args of [
      { cluster_id: CLUSTER_ID, user: 'a"b' },
      { cluster_id: CLUSTER_ID, limit: 101 },
      { cluster_id: CLUSTER_ID, start_time: '1h', end_time: '2h' },
    ]) {
      const r = await call('query_audit_log', args);
      expect(r.text).toContain('INVALID_ARGUMENT');
    }
  });

  it('an SLS server error is UPSTREAM_ERROR with the SLS code', async () => {
    sls.failNext({ status: 500, errorCode: 'InternalServerError', errorMessage: 'backend busy' });
    const r = await call('query_audit_log', { cluster_id: CLUSTER_ID });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('UPSTREAM_ERROR');
    expect(r.text).toContain('InternalServerError');
  });
});

describe('audit entry parsing', () => {
  const secretPatch = {
    __time__: '1764842400',
    verb: 'patch',
    objectRef: JSON.stringify({ resource: 'secrets', namespace: 'shop', name: 'db' }),
    requestObject: JSON.stringify({ data: { password: 'c2VjcmV0' } }),
  };
  const tokenRequest = {
    __time__: '1764842400',
    verb: 'create',
    objectRef: JSON.stringify({ resource: 'serviceaccounts', subresource: 'token', namespace: 'shop', name: 'bot' }),
    responseObject: JSON.stringify({
      kind: 'TokenRequest',
      status: { token: 'eyJhbGciOi.secret', expirationTimestamp: 'x' },
    }),
  };

  it('masks a Secret patch without kind and a TokenRequest token, keeping the body otherwise as logged', () => {
    const patch = parseAuditRow(secretPatch, { includeObjects: true, maskSecrets: true });
    expect(patch.request_object).toEqual({ data: { password: '***' } });
    const token = parseAuditRow(tokenRequest, { includeObjects: true, maskSecrets: true });
    expect(token.response_object).toEqual({ kind: 'TokenRequest', status: { token: '***', expirationTimestamp: 'x' } });
    expect(token.object_ref.subresource).toBe('token');
  });

  it('shows bodies as logged when secret data is allowed, and leaves them out unless asked', () => {
    expect(parseAuditRow(secretPatch, { includeObjects: true, maskSecrets: false }).request_object).toEqual({
      data: { password: 'c2VjcmV0' },
    });
    expect(parseAuditRow(secretPatch, { includeObjects: false, maskSecrets: true })).not.toHaveProperty(
      'request_object',
    );
  });

  it('reads the time from __time__ when the row has no requestReceivedTimestamp, and tolerates text that is not JSON', () => {
    const entry = parseAuditRow(
      { __time__: '1764842400', verb: 'get', user: 'not json', sourceIPs: '10.0.0.1' },
      {
        includeObjects: false,
        maskSecrets: true,
      },
    );
    expect(entry.time).toBe('2025-12-04T10:00:00.000Z');
    expect(entry.user.username).toBeNull();
    expect(entry.source_ips).toEqual(['10.0.0.1']);
  });
});

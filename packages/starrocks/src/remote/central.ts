import {
  type CacheFn,
  ConfigError,
  type HttpAnswer,
  type HttpRequestView,
  isOpsError,
  type Logger,
  OpsError,
  type ToolCallRecord,
} from '@opsmcp/core';
import type { StatementExecutor } from '../executor.js';
import { type AgentClient, createAgentClient } from './agent-client.js';
import { createAgentExecutor } from './agent-executor.js';
import { type Tenant, TenantRegistry } from './tenants.js';

/** The settings remote mode reads. */
export interface RemoteSettings {
  mode: 'local' | 'remote';
  tenantsConfig?: string | undefined;
  tenantsWatchIntervalMs: number;
  srQueryTimeoutMs: number;
  transport: string;
  sandbox: boolean;
}

interface RemoteInit {
  settings: RemoteSettings;
  log: Logger;
  cache: CacheFn;
}

/** Remote mode needs a tenants file and HTTP (the tenant comes in a header). */
export function validateRemoteSettings(settings: RemoteSettings): void {
  if (settings.mode !== 'remote') return;
  if (settings.transport === 'stdio') {
    throw new ConfigError(
      'Remote mode serves many tenants over HTTP (each request names its tenant in X-Tenant-ID): add --transport http.',
    );
  }
  // The sandbox writes its own tenants file.
  if (!settings.tenantsConfig && !settings.sandbox) {
    throw new ConfigError(
      'Remote mode needs TENANTS_CONFIG (--tenants-config): the JSON file naming each tenant and its agent.',
    );
  }
}

/** The tenants of this runtime: opened once (by the server's start hook), closed with the runtime. */
export function tenantRegistry(init: RemoteInit): Promise<TenantRegistry> {
  const path = init.settings.tenantsConfig;
  if (!path) throw new OpsError('INTERNAL', 'Remote mode without a tenants file.');
  return init.cache(
    ['tenant-registry', path],
    () => new TenantRegistry(path, init.log, init.settings.tenantsWatchIntervalMs),
    { close: (registry) => registry.close() },
  );
}

function clientFor(registry: TenantRegistry, tenant: Tenant): AgentClient {
  const stats = registry.statsOf(tenant.id);
  return createAgentClient(tenant, {
    roundTrip: (statements) => {
      stats.agent_round_trips++;
      stats.statements += statements;
    },
  });
}

/**
 * The executor of one tool call in remote mode: its tenant's agent, looked up when the first
 * statement runs (the tenant may have been disabled since the request was admitted).
 */
export function remoteExecutor(init: RemoteInit, tenantId: string | undefined): StatementExecutor {
  let executor: Promise<StatementExecutor> | undefined;
  const resolve = () => {
    executor ??= tenantRegistry(init).then((registry) => {
      const tenant = registry.enabled(tenantId);
      if (!tenant) {
        throw new OpsError('PERMISSION_DENIED', `Tenant ${tenantId ?? '(none)'} is not configured or is disabled.`, {
          hint: 'Send the X-Tenant-ID of an enabled tenant; the provider lists them in TENANTS_CONFIG.',
          retryable: false,
        });
      }
      return createAgentExecutor(clientFor(registry, tenant), { queryTimeoutMs: init.settings.srQueryTimeoutMs });
    });
    return executor;
  };
  return {
    query: async (sql, options) => (await resolve()).query(sql, options),
    queryBounded: async (sql, options) => (await resolve()).queryBounded(sql, options),
    close: async () => {
      if (executor) await (await executor).close();
    },
  };
}

const refuse = (status: number, error: string, message: string): HttpAnswer => ({ status, body: { error, message } });

/** The tenant a request acts for, or the answer refusing it (400 without one, 404 unknown or disabled). */
function tenantOf(request: HttpRequestView, registry: TenantRegistry): Tenant | HttpAnswer {
  if (!request.tenantId) {
    return refuse(
      400,
      'tenant_required',
      'X-Tenant-ID is required: this server runs in remote mode and serves each tenant through its own agent.',
    );
  }
  const tenant = registry.enabled(request.tenantId);
  if (!tenant) return refuse(404, 'unknown_tenant', `Tenant ${request.tenantId} is not configured or is disabled.`);
  if (!registry.keyAllowed(tenant, request.apiKeySha256)) {
    return refuse(403, 'tenant_forbidden', `This API key may not act for tenant ${tenant.id}.`);
  }
  return tenant;
}

/** Every MCP and REST request of remote mode names an enabled tenant its key may act for. */
export async function admitTenant(request: HttpRequestView, init: RemoteInit): Promise<HttpAnswer | undefined> {
  const found = tenantOf(request, await tenantRegistry(init));
  return 'status' in found ? found : undefined;
}

/** Tests a tenant's agent: reachable or not (and why), the latency seen from here, the StarRocks version. */
async function testAgent(registry: TenantRegistry, tenant: Tenant, timeoutMs: number) {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  const base = { tenant: tenant.id, agent_url: tenant.agentUrl };
  try {
    const answer = await clientFor(registry, tenant).testConnection({ timeoutMs });
    return {
      status: 200,
      body: {
        success: true,
        ...base,
        agent_status: 'healthy',
        latency_ms: latency(),
        database_version: answer.database_version,
      },
    };
  } catch (error) {
    const e = isOpsError(error) ? error : new OpsError('INTERNAL', String(error));
    // Without an HTTP status the agent itself was not reached; with one, it answered.
    const reached = e.upstream?.status !== undefined;
    const agentStatus = !reached
      ? e.code === 'TIMEOUT'
        ? 'timeout'
        : e.code === 'PROVIDER_NOT_AVAILABLE'
          ? 'unreachable'
          : 'error'
      : e.code === 'INVALID_CREDENTIALS'
        ? 'unauthorized'
        : e.code === 'PROVIDER_NOT_AVAILABLE'
          ? 'database_unreachable'
          : 'error';
    return {
      status: 502,
      body: {
        success: false,
        ...base,
        agent_status: agentStatus,
        latency_ms: latency(),
        error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) },
      },
    };
  }
}

/** `/tenants`, `/admin/stats` (the provider's, not a tenant's) and `/test-agent` (one tenant's). */
export async function serveRemoteEndpoints(
  request: HttpRequestView,
  init: RemoteInit,
): Promise<HttpAnswer | undefined> {
  const { path } = request;
  if (path !== '/tenants' && path !== '/admin/stats' && path !== '/test-agent') return undefined;
  const registry = await tenantRegistry(init);
  if (path === '/test-agent') {
    const found = tenantOf(request, registry);
    if ('status' in found) return found;
    return testAgent(registry, found, Math.min(init.settings.srQueryTimeoutMs, 10_000));
  }
  if (request.method !== 'GET') return refuse(405, 'method_not_allowed', `${path} answers GET only.`);
  if (registry.isTenantKey(request.apiKeySha256)) {
    return refuse(403, 'forbidden', `${path} shows every tenant: a tenant's own API key may not read it.`);
  }
  if (path === '/tenants') {
    return {
      status: 200,
      body: {
        tenants: registry.list().map((t) => ({
          id: t.id,
          name: t.name,
          enabled: t.enabled,
          ...(t.description ? { description: t.description } : {}),
        })),
      },
    };
  }
  return {
    status: 200,
    body: { tenants: registry.list().map((t) => ({ tenant_id: t.id, name: t.name, ...registry.statsOf(t.id) })) },
  };
}

/** Counts a finished tool call against its tenant. */
export async function countToolCall(record: ToolCallRecord, init: RemoteInit): Promise<void> {
  if (!record.tenantId) return;
  const stats = (await tenantRegistry(init)).statsOf(record.tenantId);
  stats.requests++;
  if (record.outcome === 'error') stats.errors++;
  stats.last_call_at = new Date().toISOString();
}

/** `--check` in remote mode: every enabled tenant's agent, one line each. */
export async function checkAgents(init: RemoteInit): Promise<{ ok: boolean; lines: string[] }> {
  const registry = await tenantRegistry(init);
  const enabled = registry.list().filter((t) => t.enabled);
  if (enabled.length === 0) return { ok: false, lines: [`No enabled tenant in ${registry.path}.`] };
  const results = await Promise.all(
    enabled.map((t) => testAgent(registry, t, Math.min(init.settings.srQueryTimeoutMs, 10_000))),
  );
  return {
    ok: results.every((r) => r.status === 200),
    lines: results.map((r) => {
      const b = r.body as Record<string, unknown>;
      return b.success
        ? `tenant ${String(b.tenant)}: agent healthy, StarRocks ${String(b.database_version)} (${String(b.latency_ms)} ms)`
        : `tenant ${String(b.tenant)}: agent ${String(b.agent_status)}: ${String((b.error as { message?: string }).message)}`;
    }),
  };
}

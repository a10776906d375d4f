import { ERROR_CODES, type ErrorCode, type HttpErrorInfo, OpsError, requestJson } from '@opsmcp/core';
import { z } from 'zod';
import {
  batchResponseSchema,
  type StatementResult,
  statementResultSchema,
  type TestConnectionResponse,
  TOKEN_HEADER,
  testConnectionResponseSchema,
  type WireError,
  wireErrorSchema,
} from '../agent/protocol.js';
import type { Tenant } from './tenants.js';

/**
 * The central server's side of the agent protocol (`opsmcp-starrocks-agent`): JSON over HTTP(S),
 * `X-Agent-Token` on every request but /health, errors as `{"error": {code, message,
 * upstream_code?, hint?}}` with core's error codes.
 */

/** One statement of a batch: its rows, or the error that statement alone met. */
export type AgentBatchEntry = StatementResult | OpsError;

export interface AgentCallOptions {
  signal?: AbortSignal;
  /** The statements' timeout, passed to the agent (which caps it at AGENT_STATEMENT_TIMEOUT_MS). */
  timeoutMs: number;
  maxRows?: number;
}

/** Time the answer may take beyond the statements' own timeout: network and queueing at the agent. */
const NETWORK_MARGIN_MS = 5_000;

const KNOWN_CODES = new Set<string>(ERROR_CODES);

/** An error the agent sent, kept under its own code and named after the tenant. */
function agentError(tenant: Tenant, body: WireError, status?: number): OpsError {
  const code = (KNOWN_CODES.has(body.code) ? body.code : 'UPSTREAM_ERROR') as ErrorCode;
  return new OpsError(code, `Agent of tenant ${tenant.id}: ${body.message}`, {
    upstream: { ...(body.upstream_code ? { code: body.upstream_code } : {}), ...(status ? { status } : {}) },
    ...(body.hint ? { hint: body.hint } : {}),
    retryable: code === 'TIMEOUT' || code === 'PROVIDER_NOT_AVAILABLE' || code === 'RATE_LIMITED',
  });
}

/** A refused request to the agent: the token is the provider's to fix, everything else keeps the agent's code. */
function mapAgentHttpError(tenant: Tenant) {
  return (info: HttpErrorInfo): OpsError | undefined => {
    if (info.status === 401) {
      return new OpsError('INVALID_CREDENTIALS', `The agent of tenant ${tenant.id} did not accept its token.`, {
        upstream: { status: 401 },
        hint: `The agent_token of tenant ${tenant.id} in TENANTS_CONFIG must equal the AGENT_TOKEN in the agent's .env.`,
      });
    }
    const parsed = z.object({ error: wireErrorSchema }).safeParse(info.json);
    return parsed.success ? agentError(tenant, parsed.data.error, info.status) : undefined;
  };
}

/** TLS verification codes of Node: the agent's certificate is not one this process trusts. */
const UNTRUSTED_CERTIFICATE =
  /\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|ERR_TLS_CERT_ALTNAME_INVALID|CERT_HAS_EXPIRED)\)/;

/** An agent on HTTPS whose certificate is not trusted: say how to trust it, not only that it failed. */
function untrustedCertificate(tenant: Tenant, error: unknown): OpsError | undefined {
  if (!(error instanceof OpsError) || error.code !== 'PROVIDER_NOT_AVAILABLE') return undefined;
  const code = UNTRUSTED_CERTIFICATE.exec(error.message)?.[1];
  if (!code) return undefined;
  return new OpsError(
    'PROVIDER_NOT_AVAILABLE',
    `The agent of tenant ${tenant.id} presented a certificate this server does not trust (${code}).`,
    {
      hint:
        code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? `The agent's certificate must name the host of its agent_url (${new URL(tenant.agentUrl).hostname}) in subjectAltName.`
          : "Start the central server with NODE_EXTRA_CA_CERTS set to a PEM file holding the agent's CA (or its self-signed certificate).",
      retryable: false,
      cause: error,
    },
  );
}

function unexpected(tenant: Tenant, path: string, error: z.ZodError): OpsError {
  const where = error.issues[0]?.path.join('.') || 'the body';
  return new OpsError(
    'UPSTREAM_ERROR',
    `The agent of tenant ${tenant.id} answered ${path} in an unexpected shape (${where}).`,
    {
      hint: 'Check that agent_url points at opsmcp-starrocks-agent and that the agent is up to date.',
      retryable: false,
    },
  );
}

export interface AgentClient {
  readonly tenant: Tenant;
  /** Runs statements in one round trip; each entry is its statement's rows or its own error. */
  executeBatch(statements: readonly string[], options: AgentCallOptions): Promise<AgentBatchEntry[]>;
  /** Runs one statement with a row bound of its own. */
  executeSql(sql: string, options: AgentCallOptions & { maxRows: number }): Promise<StatementResult>;
  testConnection(options: { signal?: AbortSignal; timeoutMs: number }): Promise<TestConnectionResponse>;
}

/** Counts what crosses to the agent, for /admin/stats and the benchmark. */
export interface AgentTraffic {
  roundTrip(statements: number): void;
}

export function createAgentClient(tenant: Tenant, traffic?: AgentTraffic): AgentClient {
  const service = `StarRocks agent of tenant ${tenant.id}`;
  const post = async <T>(path: string, body: unknown, schema: z.ZodType<T>, options: AgentCallOptions) => {
    const response = await requestJson<unknown>({
      service,
      method: 'POST',
      url: `${tenant.agentUrl}${path}`,
      headers: { [TOKEN_HEADER]: tenant.agentToken },
      body,
      // Statements at the agent are read-only (its guard refuses anything else): a retry is safe.
      read: true,
      maxRetries: 1,
      timeoutMs: options.timeoutMs + NETWORK_MARGIN_MS,
      ...(options.signal ? { signal: options.signal } : {}),
      mapError: mapAgentHttpError(tenant),
    }).catch((error: unknown) => {
      throw untrustedCertificate(tenant, error) ?? error;
    });
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) throw unexpected(tenant, path, parsed.error);
    return parsed.data;
  };

  return {
    tenant,
    async executeBatch(statements, options) {
      traffic?.roundTrip(statements.length);
      const answer = await post(
        '/execute-batch',
        {
          statements,
          timeout_ms: options.timeoutMs,
          ...(options.maxRows !== undefined ? { max_rows: options.maxRows } : {}),
        },
        batchResponseSchema,
        options,
      );
      if (answer.results.length !== statements.length) {
        throw new OpsError(
          'UPSTREAM_ERROR',
          `The agent of tenant ${tenant.id} answered ${answer.results.length} results for ${statements.length} statements.`,
          { retryable: false },
        );
      }
      return answer.results.map((entry) => (entry.ok ? entry : agentError(tenant, entry.error)));
    },
    async executeSql(sql, options) {
      traffic?.roundTrip(1);
      return post(
        '/execute-sql',
        { sql, timeout_ms: options.timeoutMs, max_rows: options.maxRows },
        statementResultSchema,
        options,
      );
    },
    async testConnection(options) {
      traffic?.roundTrip(1);
      return post('/test-connection', {}, testConnectionResponseSchema, options);
    },
  };
}

import { type ErrorCode, isOpsError, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { type BoundedResult, plainValue } from '../executor.js';

/**
 * The agent's HTTP wire protocol, shared with the central server that calls it
 * (`src/remote/agent-client.ts` validates every answer against these schemas): request bodies,
 * answers, and how errors travel (code, message, upstream code, hint) with their HTTP status.
 */

/** Header carrying the shared secret (AGENT_TOKEN). */
export const TOKEN_HEADER = 'x-agent-token';
/** Most statements in one /execute-batch request. */
export const MAX_BATCH_STATEMENTS = 64;

/** An error as it travels: a core error code, the message, the database's code and a hint when known. */
export const wireErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  upstream_code: z.string().optional(),
  hint: z.string().optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

/** One statement's answer: columns with their SQL types, rows keyed by column name. */
export const statementResultSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), z.unknown())),
  row_count: z.number().int().min(0),
  duration_ms: z.number().min(0),
  truncated: z.union([z.literal(false), z.enum(['rows', 'bytes'])]),
});
export type StatementResult = z.infer<typeof statementResultSchema>;

/** `/execute-batch`: one entry per statement, in request order; a statement's own error stays its own. */
export const batchResponseSchema = z.object({
  results: z.array(
    z.union([
      statementResultSchema.extend({ ok: z.literal(true) }),
      z.object({ ok: z.literal(false), error: wireErrorSchema }),
    ]),
  ),
  duration_ms: z.number().min(0),
});
export type BatchResponse = z.infer<typeof batchResponseSchema>;
export type BatchEntry = BatchResponse['results'][number];

export const testConnectionResponseSchema = z.object({
  ok: z.literal(true),
  database_version: z.string(),
  duration_ms: z.number().min(0),
});
export type TestConnectionResponse = z.infer<typeof testConnectionResponseSchema>;

const limits = {
  max_rows: z.number().int().min(1).optional().describe('Most rows per statement (capped at AGENT_MAX_ROWS)'),
  timeout_ms: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Longest a statement may run, in ms (capped at AGENT_STATEMENT_TIMEOUT_MS)'),
};

export const executeSqlRequest = z.object({
  sql: z.string().min(1).describe('One read-only statement'),
  ...limits,
});

export const executeBatchRequest = z.object({
  statements: z
    .array(z.string().min(1))
    .min(1)
    .max(MAX_BATCH_STATEMENTS)
    .describe(`Read-only statements, run concurrently (1–${MAX_BATCH_STATEMENTS})`),
  ...limits,
});

export type ExecuteSqlRequest = z.infer<typeof executeSqlRequest>;
export type ExecuteBatchRequest = z.infer<typeof executeBatchRequest>;

const STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  CREDENTIALS_MISSING: 401,
  INVALID_CREDENTIALS: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_NOT_FOUND: 404,
  PROVIDER_NOT_AVAILABLE: 503,
  WRITE_DISABLED: 403,
  CONFIRMATION_REQUIRED: 400,
  CONFIRMATION_FAILED: 400,
  OPERATION_NOT_SUPPORTED: 405,
  RATE_LIMITED: 429,
  TIMEOUT: 504,
  UPSTREAM_ERROR: 502,
  // The caller hung up; nobody reads the answer, but the log line shows what happened.
  CANCELLED: 499,
  INTERNAL: 500,
};

/** The HTTP status an error is answered with. */
export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

/**
 * An error from running a statement, as the agent reports it. The database rejecting the
 * agent's own SR_USER/SR_PASSWORD becomes UPSTREAM_ERROR: INVALID_CREDENTIALS on the wire means
 * the caller's X-Agent-Token, and the central side must not confuse the two.
 */
export function statementError(error: unknown): OpsError {
  if (!isOpsError(error)) {
    return new OpsError('INTERNAL', `The agent failed to run the statement: ${(error as Error)?.message ?? error}`);
  }
  if (error.code === 'INVALID_CREDENTIALS') {
    return new OpsError(
      'UPSTREAM_ERROR',
      `StarRocks rejected the agent's own database credentials (SR_USER/SR_PASSWORD on the agent): ${error.message}`,
      {
        upstream: { code: error.upstream?.code ?? 'ER_ACCESS_DENIED_ERROR' },
        hint: "Fix SR_USER / SR_PASSWORD in the agent's environment or .env and restart the agent; the agent token is fine.",
        retryable: false,
      },
    );
  }
  if (error.code === 'TIMEOUT' && error.hint?.includes('SR_QUERY_TIMEOUT_MS')) {
    // The executor's hint names the MCP server's setting; on the agent the cap is its own.
    return new OpsError('TIMEOUT', error.message, {
      hint: 'Raise timeout_ms (up to AGENT_STATEMENT_TIMEOUT_MS on the agent) or retry when the cluster is less busy.',
    });
  }
  return error;
}

/** The JSON form of an error. */
export function wireError(error: OpsError): WireError {
  return {
    code: error.code,
    message: error.message,
    ...(error.upstream?.code ? { upstream_code: error.upstream.code } : {}),
    ...(error.hint ? { hint: error.hint } : {}),
  };
}

/** A bounded result as the wire carries it. */
export function statementResult(result: BoundedResult, durationMs: number): StatementResult {
  const rows = result.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) out[key] = plainValue(value);
    return out;
  });
  return {
    columns: result.columns.map((name, i) => ({ name, type: result.columnTypes?.[i] ?? 'UNKNOWN' })),
    rows,
    row_count: rows.length,
    duration_ms: durationMs,
    truncated: result.truncated,
  };
}

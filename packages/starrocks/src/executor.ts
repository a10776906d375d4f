import { OpsError } from '@opsmcp/core';

/** One row as the database returned it, keyed by column name. */
export type Row = Record<string, unknown>;

export interface QueryOptions {
  /** Aborts the statement (the connection running it is dropped). */
  signal?: AbortSignal;
  /** Overrides the executor's default per-statement timeout (it covers waiting for a connection). */
  timeoutMs?: number;
}

export interface BoundedQueryOptions extends QueryOptions {
  /** Most rows kept; the statement is stopped when one more arrives. */
  maxRows: number;
  /** Most bytes of row data kept (strings as UTF-8); the statement is stopped beyond it. */
  maxBytes: number;
}

export interface BoundedResult {
  columns: string[];
  /**
   * SQL type of each column, in the order of `columns` (VARCHAR, BIGINT, DOUBLE, DATETIME …), as
   * the server announced it in the result set's metadata; absent when the transport cannot tell.
   */
  columnTypes?: string[];
  rows: Row[];
  /** Why the result was cut, if it was: more rows than maxRows, or more data than maxBytes. */
  truncated: false | 'rows' | 'bytes';
}

/**
 * Runs one SQL statement against StarRocks and returns its rows. Experts only see this seam, so the
 * transport underneath (a local mysql2 pool today, a remote agent later) can change freely.
 * Failures are `OpsError`s: TIMEOUT, PROVIDER_NOT_AVAILABLE, INVALID_CREDENTIALS or UPSTREAM_ERROR
 * (carrying the MySQL error code).
 */
export interface StatementExecutor {
  query(sql: string, options?: QueryOptions): Promise<Row[]>;
  /**
   * Runs a statement of any form and keeps at most `maxRows` rows and `maxBytes` bytes, reading
   * rows as they arrive and stopping the statement at the bound, so nothing larger is buffered.
   */
  queryBounded(sql: string, options: BoundedQueryOptions): Promise<BoundedResult>;
  close(): Promise<void>;
}

/**
 * Whether StarRocks itself refused the statement (an UPSTREAM_ERROR carrying the database's
 * error code): the source is missing on this version or the user lacks a privilege, and the
 * experts go on without it. Anything else — an unreachable server or agent, a garbled answer, a
 * refused login — fails the analysis.
 */
export function isStatementRejection(error: unknown): error is OpsError {
  const code = error instanceof OpsError && error.code === 'UPSTREAM_ERROR' ? error.upstream?.code : undefined;
  // A refused login (an agent's own SR_USER/SR_PASSWORD) is no missing source.
  return Boolean(code) && !LOGIN_REFUSED.has(code as string);
}

const LOGIN_REFUSED = new Set(['ER_ACCESS_DENIED_ERROR', '1045']);

/** A value as JSON can carry it: buffers become UTF-8 text, big integers strings, dates ISO text. */
export function plainValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}

const ESCAPES: Record<string, string> = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z' };

/** Quotes a string literal for StarRocks (MySQL rules: backslash escapes). */
export function sqlString(value: string): string {
  let out = '';
  for (const c of value) out += ESCAPES[c] ?? (c === '\\' || c === "'" || c === '"' ? `\\${c}` : c);
  return `'${out}'`;
}

/** A positive integer for LIMIT/INTERVAL clauses; anything else is a programming error. */
export function sqlInt(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative integer: ${value}`);
  return String(value);
}

/** Quotes an identifier (database, table) for StarRocks: backticks, inner backticks doubled. */
export function sqlIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

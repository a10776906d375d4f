/** One row as the database returned it, keyed by column name. */
export type Row = Record<string, unknown>;

export interface QueryOptions {
  /** Aborts the statement (the connection running it is dropped). */
  signal?: AbortSignal;
  /** Overrides the executor's default per-statement timeout. */
  timeoutMs?: number;
}

/**
 * Runs one SQL statement against StarRocks and returns its rows. Experts only see this seam, so the
 * transport underneath (a local mysql2 pool today, a remote agent later) can change freely.
 * Failures are `OpsError`s: TIMEOUT, PROVIDER_NOT_AVAILABLE, INVALID_CREDENTIALS or UPSTREAM_ERROR
 * (carrying the MySQL error code).
 */
export interface StatementExecutor {
  query(sql: string, options?: QueryOptions): Promise<Row[]>;
  close(): Promise<void>;
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

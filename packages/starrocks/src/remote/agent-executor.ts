import { OpsError } from '@opsmcp/core';
import { MAX_BATCH_STATEMENTS } from '../agent/protocol.js';
import type { BoundedQueryOptions, BoundedResult, QueryOptions, Row, StatementExecutor } from '../executor.js';
import type { AgentClient } from './agent-client.js';

interface Waiting {
  sql: string;
  options: QueryOptions;
  resolve(rows: Row[]): void;
  reject(error: unknown): void;
}

const cancelled = () => new OpsError('TIMEOUT', 'The StarRocks query was cancelled');

/**
 * A StatementExecutor that runs statements through a tenant's agent. The experts issue their
 * statements concurrently (Promise.all over independent probes), so every `query` made in the
 * same turn of the event loop is sent in one `/execute-batch` round trip; a statement's own
 * error comes back as its own rejection, as it would from a local connection.
 */
export function createAgentExecutor(client: AgentClient, options: { queryTimeoutMs: number }): StatementExecutor {
  let waiting: Waiting[] = [];
  let scheduled = false;
  let closed = false;

  const send = async (batch: Waiting[]) => {
    const signals = [...new Set(batch.map((w) => w.options.signal).filter((s): s is AbortSignal => s !== undefined))];
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    const timeoutMs = Math.max(...batch.map((w) => w.options.timeoutMs ?? options.queryTimeoutMs));
    // Experts running side by side ask some of the same things (the FE clock, tablets per
    // backend): each distinct statement travels once and its answer goes to every asker.
    const statements = [...new Set(batch.map((w) => w.sql))];
    try {
      const entries = await client.executeBatch(statements, { timeoutMs, ...(signal ? { signal } : {}) });
      for (const w of batch) {
        const entry = entries[statements.indexOf(w.sql)];
        if (entry instanceof OpsError) w.reject(entry);
        // Each asker gets rows of its own, as from separate statements.
        else if (entry) w.resolve(structuredClone(entry.rows));
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };

  const flush = () => {
    scheduled = false;
    const due = waiting.filter((w) => {
      if (!w.options.signal?.aborted) return true;
      w.reject(cancelled());
      return false;
    });
    waiting = [];
    for (let i = 0; i < due.length; i += MAX_BATCH_STATEMENTS) void send(due.slice(i, i + MAX_BATCH_STATEMENTS));
  };

  return {
    query(sql, queryOptions = {}) {
      if (closed) return Promise.reject(new OpsError('INTERNAL', 'The StarRocks executor is closed'));
      if (queryOptions.signal?.aborted) return Promise.reject(cancelled());
      return new Promise<Row[]>((resolve, reject) => {
        waiting.push({ sql, options: queryOptions, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // After the current turn: the statements the caller starts together travel together.
          setImmediate(flush);
        }
      });
    },

    async queryBounded(sql: string, bounded: BoundedQueryOptions): Promise<BoundedResult> {
      if (closed) throw new OpsError('INTERNAL', 'The StarRocks executor is closed');
      const result = await client.executeSql(sql, {
        maxRows: bounded.maxRows,
        timeoutMs: bounded.timeoutMs ?? options.queryTimeoutMs,
        ...(bounded.signal ? { signal: bounded.signal } : {}),
      });
      // The agent bounds bytes by its own setting; the caller's bound is applied here too.
      const rows: Row[] = [];
      let bytes = 0;
      let truncated: BoundedResult['truncated'] = result.truncated;
      for (const row of result.rows) {
        const size = Buffer.byteLength(JSON.stringify(row));
        if (bytes + size > bounded.maxBytes) {
          truncated = 'bytes';
          break;
        }
        bytes += size;
        rows.push(row);
      }
      return {
        columns: result.columns.map((c) => c.name),
        columnTypes: result.columns.map((c) => c.type),
        rows,
        truncated,
      };
    },

    async close() {
      closed = true;
    },
  };
}

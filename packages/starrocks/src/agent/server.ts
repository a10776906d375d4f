import { createHash, timingSafeEqual } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  BodyTooLargeError,
  ConfigError,
  createLogger,
  describeZodError,
  isLoopbackAddress,
  isOpsError,
  type Logger,
  OpsError,
  readJsonBody,
} from '@opsmcp/core';
import type { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import type { StatementExecutor } from '../executor.js';
import { createPoolExecutor } from '../pool-executor.js';
import { Slots } from '../slots.js';
import { type GuardedStatement, guardReadStatement, loadSqlParser } from '../sql-guard.js';
import {
  type BatchEntry,
  type BatchResponse,
  executeBatchRequest,
  executeSqlRequest,
  type StatementResult,
  statementError,
  statementResult,
  statusOf,
  type TestConnectionResponse,
  TOKEN_HEADER,
  wireError,
} from './protocol.js';
import type { AgentSettings } from './settings.js';

export type { AgentSettings } from './settings.js';
export { resolveAgentSettings } from './settings.js';

/** The agent's version, as /health reports it. */
export const AGENT_VERSION: string = packageJson.version;

/** Longest close() waits for requests in flight before cutting their connections. */
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Open connections at most: a central server needs a few, a flood is refused at accept. */
const MAX_CONNECTIONS = 256;
const VERSION_SQL = 'SELECT current_version() AS version';

export interface StartAgentOptions {
  /** Where the JSON log lines go (default: stderr). */
  log?: Logger;
  /** Longest close() waits for requests in flight (default 10 s). */
  shutdownGraceMs?: number;
  /** Longest a client may take to send a request's headers (default 10 s); the whole request gets three times that. */
  headersTimeoutMs?: number;
}

export interface AgentHandle {
  /** Base URL, with the real port (also when AGENT_PORT is 0). */
  url: string;
  port: number;
  /** Stops accepting, lets requests in flight finish (bounded), closes the database pool. */
  close(): Promise<void>;
}

/**
 * Statements at once, and how many may wait: admission is decided for a whole request up front
 * (a batch is admitted entirely or refused with 429), then each statement waits for a slot.
 */
class StatementLimiter {
  /** Admitted statements not yet finished: running plus waiting. */
  private admitted = 0;
  private readonly slots: Slots;

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {
    this.slots = new Slots(concurrency);
  }

  /** Reserves room for `count` statements, or says there is none. */
  admit(count: number): boolean {
    if (this.admitted + count > this.concurrency + this.queue) return false;
    this.admitted += count;
    return true;
  }

  /** Runs one admitted statement in a slot; a call whose request ends while waiting leaves the queue. */
  async run<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    try {
      const release = await this.slots.acquire(signal).catch(() => {
        throw cancelled();
      });
      try {
        return await task();
      } finally {
        release();
      }
    } finally {
      this.admitted--;
    }
  }
}

const cancelled = () => new OpsError('CANCELLED', 'The request was closed by the caller before the statement ran');

/** Settings a statement runs with: the caller's wishes within the agent's caps. */
interface RunBounds {
  maxRows: number;
  timeoutMs: number;
}

type Route = { methods: readonly string[]; auth: boolean };
const ROUTES: Record<string, Route> = {
  '/health': { methods: ['GET', 'HEAD'], auth: false },
  '/test-connection': { methods: ['GET', 'POST'], auth: true },
  '/execute-sql': { methods: ['POST'], auth: true },
  '/execute-batch': { methods: ['POST'], auth: true },
};

/** An error answer already decided (status and body), thrown out of the request handling. */
class Answer extends Error {
  constructor(
    readonly status: number,
    readonly error: OpsError,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

const answerFor = (error: OpsError, headers?: Record<string, string>) =>
  new Answer(statusOf(error.code), error, headers);

/** The server's URL host part (IPv6 addresses in brackets). */
const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

function readTlsFile(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`${variable}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Opens the agent's database pool with its settings (one pool per agent). */
function openExecutor(settings: AgentSettings): StatementExecutor {
  return createPoolExecutor({
    host: settings.srHost,
    port: settings.srPort,
    user: settings.srUser,
    password: settings.srPassword,
    database: settings.srDatabase,
    poolSize: settings.maxConcurrency,
    queryTimeoutMs: settings.statementTimeoutMs,
  });
}

/**
 * Connects once and asks the database for its version (what `--check` does). Failures are
 * OpsErrors as the agent reports them (the agent's own credentials rejected → UPSTREAM_ERROR).
 */
export async function checkDatabase(settings: AgentSettings): Promise<{ version: string; durationMs: number }> {
  const executor = openExecutor(settings);
  const started = performance.now();
  try {
    const [row] = await executor.query(VERSION_SQL, { timeoutMs: settings.statementTimeoutMs });
    return { version: String(row?.version ?? 'unknown'), durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    throw statementError(error);
  } finally {
    await executor.close();
  }
}

/**
 * Starts the agent: an HTTP(S) server in front of one pooled StarRocks executor that runs only
 * statements the read-only SQL guard accepts. Resolves once it listens.
 */
export async function startAgent(settings: AgentSettings, options: StartAgentOptions = {}): Promise<AgentHandle> {
  const log =
    options.log ??
    createLogger({
      json: true,
      secrets: [settings.token, settings.srPassword].filter((s) => s.length > 0),
      fields: { service: 'opsmcp-starrocks-agent' },
    });
  const tls =
    settings.tlsCert && settings.tlsKey
      ? {
          cert: readTlsFile(settings.tlsCert, 'AGENT_TLS_CERT'),
          key: readTlsFile(settings.tlsKey, 'AGENT_TLS_KEY'),
        }
      : undefined;
  const expectedToken = createHash('sha256').update(settings.token).digest();
  const executor = openExecutor(settings);
  const limiter = new StatementLimiter(settings.maxConcurrency, settings.maxQueue);
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  /** Constant-time comparison of the caller's token; hashing first hides the token's length too. */
  const tokenMatches = (given: string | string[] | undefined) =>
    typeof given === 'string' && timingSafeEqual(createHash('sha256').update(given).digest(), expectedToken);

  const boundsOf = (body: { max_rows?: number | undefined; timeout_ms?: number | undefined }): RunBounds => ({
    maxRows: Math.min(body.max_rows ?? settings.maxRows, settings.maxRows),
    timeoutMs: Math.min(body.timeout_ms ?? settings.statementTimeoutMs, settings.statementTimeoutMs),
  });

  /**
   * The guard's verdict; the statement then runs as the caller wrote it (the guard's LIMIT for a
   * bare SELECT is not added), since the driver stops reading at the row bound anyway.
   */
  const guard = (sql: string, bounds: RunBounds): GuardedStatement =>
    guardReadStatement(sql, bounds.maxRows, { maxChars: settings.maxStatementChars });

  const admit = (count: number) => {
    if (!limiter.admit(count)) {
      throw answerFor(
        new OpsError(
          'RATE_LIMITED',
          `The agent is busy: ${settings.maxConcurrency} statement(s) run at once and at most ${settings.maxQueue} may wait (AGENT_MAX_CONCURRENCY, AGENT_MAX_QUEUE); this request needs room for ${count}`,
          { hint: 'Retry shortly.' },
        ),
        { 'retry-after': '1' },
      );
    }
  };

  const runStatement = (sql: string, bounds: RunBounds, signal: AbortSignal): Promise<StatementResult> =>
    limiter.run(signal, async () => {
      const started = performance.now();
      try {
        const result = await executor.queryBounded(sql, {
          maxRows: bounds.maxRows,
          maxBytes: settings.maxResultBytes,
          timeoutMs: bounds.timeoutMs,
          signal,
        });
        return statementResult(result, Math.round(performance.now() - started));
      } catch (error) {
        throw statementError(error);
      }
    });

  /** Reads the body within AGENT_MAX_BODY_BYTES and parses it as JSON against `schema`. */
  const readBody = async <T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> => {
    let data: unknown;
    try {
      data = await readJsonBody(req, settings.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw new Answer(
          413,
          new OpsError('INVALID_ARGUMENT', `The request body is larger than ${settings.maxBodyBytes} bytes`, {
            hint: 'Send fewer or shorter statements (AGENT_MAX_BODY_BYTES on the agent).',
          }),
          // The rest of the body is not read: the connection ends after the answer.
          { connection: 'close' },
        );
      }
      if (error instanceof SyntaxError) {
        throw answerFor(new OpsError('INVALID_ARGUMENT', 'The request body is not valid JSON'));
      }
      throw error;
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw answerFor(new OpsError('INVALID_ARGUMENT', `Invalid request body: ${describeZodError(parsed.error)}`));
    }
    return parsed.data;
  };

  const testConnection = async (signal: AbortSignal): Promise<TestConnectionResponse> => {
    admit(1);
    const started = performance.now();
    const [row] = await limiter
      .run(signal, () => executor.query(VERSION_SQL, { timeoutMs: settings.statementTimeoutMs, signal }))
      .catch((error: unknown) => {
        throw answerFor(statementError(error));
      });
    return {
      ok: true,
      database_version: String(row?.version ?? 'unknown'),
      duration_ms: Math.round(performance.now() - started),
    };
  };

  const executeSql = async (req: IncomingMessage, signal: AbortSignal, counted: (n: number) => void) => {
    const body = await readBody(req, executeSqlRequest);
    counted(1);
    const bounds = boundsOf(body);
    await loadSqlParser();
    let statement: GuardedStatement;
    try {
      statement = guard(body.sql, bounds);
    } catch (error) {
      throw answerFor(isOpsError(error) ? error : statementError(error));
    }
    admit(1);
    return runStatement(statement.checked, bounds, signal).catch((error: unknown) => {
      throw answerFor(statementError(error));
    });
  };

  const executeBatch = async (
    req: IncomingMessage,
    signal: AbortSignal,
    counted: (n: number) => void,
  ): Promise<BatchResponse> => {
    const started = performance.now();
    const body = await readBody(req, executeBatchRequest);
    counted(body.statements.length);
    const bounds = boundsOf(body);
    await loadSqlParser();
    // Every statement is checked before any runs: one refusal refuses the whole batch.
    const statements = body.statements.map((sql, index) => {
      try {
        return guard(sql, bounds);
      } catch (error) {
        const refused = isOpsError(error) ? error : statementError(error);
        throw answerFor(
          new OpsError(refused.code, `statements[${index}] was refused, nothing ran: ${refused.message}`, {
            ...(refused.hint ? { hint: refused.hint } : {}),
            retryable: false,
          }),
        );
      }
    });
    admit(statements.length);
    const results = await Promise.all(
      statements.map((statement) =>
        runStatement(statement.checked, bounds, signal).then(
          (result): BatchEntry => ({ ok: true, ...result }),
          (error: unknown): BatchEntry => ({ ok: false, error: wireError(statementError(error)) }),
        ),
      ),
    );
    return { results, duration_ms: Math.round(performance.now() - started) };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(stopping ? { connection: 'close' } : {}),
      ...headers,
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://agent').pathname;
    let status = 500;
    let code: string | undefined;
    let statements = 0;
    // A caller that hangs up cancels its statements (their connections are dropped and killed).
    const controller = new AbortController();
    // A batch waits on this signal once per statement (up to 64): not a leak, so no warning.
    setMaxListeners(0, controller.signal);
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const route = ROUTES[path];
      if (!route) throw answerFor(new OpsError('RESOURCE_NOT_FOUND', `No endpoint ${path} on this agent`));
      if (!route.methods.includes(method)) {
        throw answerFor(new OpsError('OPERATION_NOT_SUPPORTED', `${path} does not accept ${method}`), {
          allow: route.methods.join(', '),
        });
      }
      if (route.auth && !tokenMatches(req.headers[TOKEN_HEADER])) {
        throw answerFor(
          new OpsError('INVALID_CREDENTIALS', `Missing or wrong ${TOKEN_HEADER} header`, {
            hint: 'Send the AGENT_TOKEN configured on the agent in the X-Agent-Token header.',
            retryable: false,
          }),
        );
      }
      const counted = (n: number) => {
        statements = n;
      };
      let body: unknown;
      if (path === '/health') body = { status: 'ok', version: AGENT_VERSION };
      else if (path === '/test-connection') {
        statements = 1;
        body = await testConnection(controller.signal);
      } else if (path === '/execute-sql') body = await executeSql(req, controller.signal, counted);
      else body = await executeBatch(req, controller.signal, counted);
      status = 200;
      send(res, status, body);
    } catch (error) {
      const answer = error instanceof Answer ? error : answerFor(statementError(error));
      status = answer.status;
      code = answer.error.code;
      send(res, status, { error: wireError(answer.error) }, answer.headers);
    } finally {
      // Never the SQL, rows, token or password: what was asked, how it ended, how long it took.
      log.info('request', {
        method,
        path,
        status,
        ...(code ? { code } : {}),
        statements,
        duration_ms: Math.round(performance.now() - started),
        ...(controller.signal.aborted ? { caller_closed: true } : {}),
      });
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const done = handle(req, res)
      .catch((error: unknown) => log.error('request failed', { error: (error as Error)?.message }))
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  // The agent faces a network: a client that sends its request slowly, or never, is cut off
  // rather than holding a connection (and a file descriptor) for minutes.
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const limits = {
    headersTimeout,
    requestTimeout: headersTimeout * 3,
    // How often Node checks the two timeouts above (its default, 30 s, would let them overrun).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
  const server: Server = tls
    ? createHttpsServer({ ...tls, ...limits }, onRequest)
    : createHttpServer(limits, onRequest);
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://${urlHost(settings.host)}:${port}`;
  // The guard's parser is read once, now, instead of on the first request.
  void loadSqlParser().catch(() => undefined);

  log.info('agent listening', {
    url,
    version: AGENT_VERSION,
    database: `${settings.srHost}:${settings.srPort}`,
    database_user: settings.srUser,
    tls: Boolean(tls),
    limits: {
      statement_timeout_ms: settings.statementTimeoutMs,
      max_concurrency: settings.maxConcurrency,
      max_queue: settings.maxQueue,
      max_result_bytes: settings.maxResultBytes,
      max_rows: settings.maxRows,
      max_body_bytes: settings.maxBodyBytes,
      max_statement_chars: settings.maxStatementChars,
    },
  });
  if (!isLoopbackAddress(settings.host)) {
    log.warn(
      `AGENT_HOST is ${settings.host}: the agent is reachable from other machines at that address; allow only the central server's address in the firewall${tls ? '' : ', and serve HTTPS (AGENT_TLS_CERT/AGENT_TLS_KEY) or put a TLS proxy in front, since the token travels in each request'}`,
      { host: settings.host },
    );
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopping = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.allSettled([...inFlight]).then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), grace);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) log.warn('requests still running after the shutdown grace period were cut', { grace_ms: grace });
      server.closeAllConnections();
      await stopped;
      await executor.close();
      log.info('agent stopped');
    })();
    return closing;
  };

  return { url, port, close };
}

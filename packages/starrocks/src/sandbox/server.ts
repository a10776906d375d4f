import { createHash } from 'node:crypto';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { loadScenario } from './scenarios/load.js';
import { answer, normalizeStatement, SimulatedError } from './statements.js';
import type { Row, ScenarioData } from './types.js';

export interface SimulatorOptions {
  scenario?: ScenarioData | string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  user?: string;
  password?: string;
  /** Delay before every answer, for benchmarks and timeout tests. */
  delayMs?: number;
  /** How many recent statements `statements` keeps (default 1000; 0 keeps none, as --sandbox does). */
  keepStatements?: number;
}

/** A statement the simulator answers with a fixed result, given by a test (checked before the scenario). */
export interface FixedAnswer {
  columns: string[];
  rows: Row[];
}

export interface Simulator {
  readonly host: string;
  readonly port: number;
  scenario: ScenarioData;
  delayMs: number;
  /** Per-statement delay: when it returns a number, that statement waits so long instead of delayMs. */
  delayFor: ((sql: string) => number | undefined) | undefined;
  /** Extra statements answered with a fixed result, by their text with whitespace collapsed (for tests). */
  fixedAnswers: Map<string, FixedAnswer>;
  /** The most recent statements received, oldest first (a bounded ring: keepStatements). */
  readonly statements: string[];
  /** Statements received since start, including those no longer kept. */
  readonly statementCount: number;
  /** Connection ids named by `KILL [QUERY] <id>`, most recent last (bounded like statements). */
  readonly kills: number[];
  /** Rows written for the last statement that returned a result set (rows are written as the client reads). */
  readonly lastRowsSent: number;
  /** Most statements answered at the same time so far: above 1 proves callers run concurrently. */
  readonly maxInFlight: number;
  /** Stops listening and drops every client connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

// MySQL column types used on the wire (mysql2 parses text rows by them).
const TYPE = { DOUBLE: 5, LONGLONG: 8, VAR_STRING: 253 } as const;
const UTF8_GENERAL_CI = 33;

function columnType(rows: Row[], name: string): number {
  const value = rows.map((r) => r[name]).find((v) => v !== null && v !== undefined);
  if (typeof value !== 'number') return TYPE.VAR_STRING;
  return rows.every((r) => r[name] == null || Number.isInteger(r[name])) ? TYPE.LONGLONG : TYPE.DOUBLE;
}

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest();

/** mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). */
function nativePasswordToken(password: string, scramble: Buffer): Buffer {
  if (!password) return Buffer.alloc(0);
  const stage1 = sha1(Buffer.from(password));
  const mix = sha1(Buffer.concat([scramble, sha1(stage1)]));
  return Buffer.from(stage1.map((b, i) => b ^ (mix[i] ?? 0)));
}

// mysql2 ships no types for its server-side connection; this is the part used here.
interface ServerConnection {
  sequenceId: number;
  stream: { destroy(): void; setNoDelay(noDelay: boolean): void; on(event: string, listener: () => void): void };
  serverHandshake(args: Record<string, unknown>): void;
  on(event: string, listener: (...args: never[]) => void): void;
  writeColumns(columns: Record<string, unknown>[]): void;
  writeTextRow(values: (string | null)[]): void;
  writeEof(): void;
  writeOk(args?: Record<string, unknown>): void;
  writeError(args: { message: string; code: number }): void;
  close(): void;
}
interface MysqlServer {
  on(event: 'connection', listener: (conn: ServerConnection) => void): void;
  /** The net.Server whose 'connection' handler wraps a socket in a protocol connection. */
  _server: { emit(event: 'connection', socket: Socket): void };
}

/**
 * A MySQL-protocol server that answers the StarRocks statements the diagnostics send, from a
 * scenario. Shared by the tests and `--sandbox`.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const user = options.user ?? 'root';
  const password = options.password ?? '';
  const connections = new Set<ServerConnection>();
  const sockets = new Set<Socket>();
  let server: NetServer | undefined;
  let connectionId = 0;
  // mysql2 (~50 ms to load) is needed only once a client connects: the sandbox binds its port at
  // startup and speaks the protocol from the first connection on.
  let protocol: Promise<MysqlServer> | undefined;
  const protocolServer = () => {
    protocol ??= import('mysql2').then((m) => {
      const next = (m.default as unknown as { createServer(): MysqlServer }).createServer();
      next.on('connection', onConnection);
      return next;
    });
    return protocol;
  };

  let maxInFlight = 0;
  let statementCount = 0;
  let lastRowsSent = 0;
  const keep = Math.max(0, options.keepStatements ?? 1000);
  const remember = (list: unknown[], item: unknown) => {
    if (keep === 0) return;
    list.push(item);
    if (list.length > keep) list.splice(0, list.length - keep);
  };
  /** Replies waiting for their delay, per connection id, so KILL QUERY can interrupt them. */
  const pending = new Map<number, { conn: ServerConnection; timer: NodeJS.Timeout; done: () => void }>();
  const sim: Simulator = {
    host,
    port: options.port ?? 0,
    scenario:
      typeof options.scenario === 'string'
        ? await loadScenario(options.scenario)
        : (options.scenario ?? (await loadScenario('healthy'))),
    delayMs: options.delayMs ?? 0,
    delayFor: undefined,
    fixedAnswers: new Map(),
    statements: [],
    get statementCount() {
      return statementCount;
    },
    kills: [],
    get lastRowsSent() {
      return lastRowsSent;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    stop: async () => {
      for (const waiting of pending.values()) clearTimeout(waiting.timer);
      pending.clear();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      connections.clear();
      const current = server;
      server = undefined;
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    start: () => listen(),
  };

  let inFlight = 0;
  const ids = new WeakMap<ServerConnection, number>();

  const columnDefinitions = (columns: string[], rows: Row[]) =>
    columns.map((name) => {
      const type = columnType(rows, name);
      return {
        catalog: 'def',
        schema: '',
        table: '',
        orgTable: '',
        name,
        orgName: name,
        characterSet: UTF8_GENERAL_CI,
        columnLength: type === TYPE.VAR_STRING ? 1048576 : 20,
        columnType: type,
        flags: 0,
        decimals: type === TYPE.DOUBLE ? 31 : 0,
      };
    });

  /**
   * Writes rows, waiting whenever the socket's buffer is full: a client that stops reading (or
   * hangs up) stops the result, as with a real FE.
   */
  const writeRows = async (conn: ServerConnection, columns: string[], rows: Row[]) => {
    lastRowsSent = 0;
    const stream = conn.stream as unknown as NodeJS.WritableStream & { writableNeedDrain?: boolean };
    for (let i = 0; i < rows.length; i++) {
      if (!connections.has(conn)) return false;
      const row = rows[i] as Row;
      conn.writeTextRow(columns.map((c) => (row[c] == null ? null : String(row[c]))));
      lastRowsSent++;
      if (stream.writableNeedDrain) {
        await new Promise<void>((resolve) => {
          const go = () => {
            stream.removeListener('drain', go);
            stream.removeListener('close', go);
            resolve();
          };
          stream.on('drain', go);
          stream.on('close', go);
        });
      }
    }
    return connections.has(conn);
  };

  const killStatement = (conn: ServerConnection, sql: string) => {
    const target = Number(/^\s*KILL\s+(?:QUERY\s+|CONNECTION\s+)?(\d+)\s*$/i.exec(sql)?.[1]);
    remember(sim.kills, target);
    const waiting = pending.get(target);
    if (waiting) {
      clearTimeout(waiting.timer);
      pending.delete(target);
      if (connections.has(waiting.conn)) {
        waiting.conn.writeError({ message: 'Query execution was interrupted', code: 1317 });
        waiting.conn.sequenceId = 0;
      }
      waiting.done();
    }
    conn.writeOk();
    conn.sequenceId = 0;
  };

  const respond = (conn: ServerConnection, sql: string) => {
    statementCount++;
    remember(sim.statements, sql);
    if (/^\s*KILL\s/i.test(sql)) return killStatement(conn, sql);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const id = ids.get(conn) ?? 0;
    const reply = async () => {
      pending.delete(id);
      inFlight--;
      if (!connections.has(conn)) return;
      try {
        const { columns, rows } = sim.fixedAnswers.get(normalizeStatement(sql)) ?? answer(sql, sim.scenario);
        conn.writeColumns(columnDefinitions(columns, rows));
        if (!(await writeRows(conn, columns, rows))) return;
        conn.writeEof();
      } catch (error) {
        const errno = error instanceof SimulatedError ? error.errno : 1064;
        conn.writeError({ message: error instanceof Error ? error.message : String(error), code: errno });
      }
      // The next command starts a new packet sequence; mysql2's server side does not reset it itself.
      conn.sequenceId = 0;
    };
    const delay = sim.delayFor?.(sql) ?? sim.delayMs;
    if (delay > 0) {
      const timer = setTimeout(() => void reply(), delay);
      pending.set(id, { conn, timer, done: () => inFlight-- });
    } else void reply();
  };

  const onConnection = (conn: ServerConnection) => {
    connections.add(conn);
    const id = ++connectionId;
    ids.set(conn, id);
    // As a real FE does: without it every result set waits ~40 ms for a delayed ACK.
    conn.stream.setNoDelay(true);
    conn.stream.on('close', () => connections.delete(conn));
    conn.on('error', () => connections.delete(conn));
    let scramble = Buffer.alloc(0);
    conn.serverHandshake({
      protocolVersion: 10,
      // StarRocks FEs announce a MySQL-compatible version; current_version() carries the real one.
      serverVersion: '8.0.33',
      connectionId: id,
      statusFlags: 2,
      characterSet: UTF8_GENERAL_CI,
      capabilityFlags: 0xffffff,
      authCallback: (
        params: { user: string; authPluginData1: Buffer; authPluginData2: Buffer; authToken: Buffer },
        done: (err: null, mysqlError?: { message: string; code: number }) => void,
      ) => {
        scramble = Buffer.concat([params.authPluginData1, params.authPluginData2]).subarray(0, 20);
        const expected = nativePasswordToken(password, scramble);
        const ok = params.user === user && Buffer.compare(expected, params.authToken ?? Buffer.alloc(0)) === 0;
        done(null, ok ? undefined : { message: `Access denied for user '${params.user}'`, code: 1045 });
        conn.sequenceId = 0;
      },
    });
    conn.on('query', (sql: string) => respond(conn, sql));
    // mysql2 routes statements starting with SET to stmt_prepare; StarRocks accepts session SETs.
    conn.on('stmt_prepare', (sql: string) => {
      if (/^\s*SET\s/i.test(sql)) {
        conn.writeOk();
        conn.sequenceId = 0;
      } else respond(conn, sql);
    });
    conn.on('init_db', () => {
      conn.writeOk();
      conn.sequenceId = 0;
    });
    conn.on('ping', () => {
      conn.writeOk();
      conn.sequenceId = 0;
    });
    conn.on('quit', () => {
      connections.delete(conn);
      conn.stream.destroy();
    });
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      const next = createNetServer((socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        // The server speaks first in MySQL's handshake, so nothing is lost while mysql2 loads.
        void protocolServer().then((mysql) => {
          if (!socket.destroyed) mysql._server.emit('connection', socket);
        });
      });
      next.once('error', reject);
      next.listen(sim.port, host, () => {
        const address = next.address() as AddressInfo;
        (sim as { port: number }).port = address.port;
        server = next;
        resolve();
      });
    });

  await listen();
  return sim;
}

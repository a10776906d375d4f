import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SignatureVerdict, verifySlsSignature } from '@opsmcp/core/signing';

/**
 * An in-process SLS (Log Service) endpoint on 127.0.0.1. Clients reach it as `sls.test:<port>`
 * (the SDK puts the project in front of the host: `<project>.sls.test`), so the project is read
 * from the Host header. It checks every request's `LOG` signature against its keys and serves
 * GetLogs (a JSON array of flat text rows, `x-log-progress`, `x-log-requestid`, `x-log-count`)
 * and CallAiTools (bare host, a text answer); errors are `{errorCode, errorMessage}`. GetLogs
 * understands SLS search syntax enough for the queries the tools send: `*`, `field: "value"`
 * (a trailing `*` for a prefix, nested fields through JSON text), bare terms, and/or/not and
 * parentheses. Analytic (`| SELECT …`) queries are refused.
 */

export const SLS_FAKE_DOMAIN = 'sls.test';

export type SlsRow = Record<string, string>;

export interface SlsFakeKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface SlsReceivedRequest {
  method: string;
  path: string;
  host: string;
  project: string | undefined;
  query: Record<string, string>;
  body: string;
  accessKeyId: string | undefined;
  signature: SignatureVerdict;
  status: number;
}

export interface SlsFakeOptions {
  keys: SlsFakeKey[];
  /** The rows of a project's logstore (undefined: the logstore does not exist). */
  rows(project: string, logstore: string): readonly SlsRow[] | undefined;
  /** The text an AI tool answers. */
  aiTool?(toolName: string, params: Record<string, string>, regionId: string): string;
}

export interface SlsFake {
  /** `sls.test:<port>`, the endpoint setting (http). */
  endpoint: string;
  port: number;
  readonly requests: readonly SlsReceivedRequest[];
  addKey(key: SlsFakeKey): void;
  /** The next `times` GetLogs calls answer `x-log-progress: Incomplete` (with the rows found so far). */
  incompleteNext(times: number): void;
  failNext(failure: { status: number; errorCode: string; errorMessage: string }, times?: number): void;
  stop(): Promise<void>;
}

class SlsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startSlsFake(options: SlsFakeOptions): Promise<SlsFake> {
  const keys = new Map(options.keys.map((k) => [k.accessKeyId, k]));
  const requests: SlsReceivedRequest[] = [];
  let incomplete = 0;
  const failures: Array<{ status: number; errorCode: string; errorMessage: string }> = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = req.url ?? '/';
    const [rawPath = '/', rawQuery = ''] = url.split('?', 2);
    const method = (req.method ?? 'GET').toUpperCase();
    const host = String(req.headers.host ?? '');
    const hostname = host.replace(/:\d+$/, '').toLowerCase();
    const project = hostname.endsWith(`.${SLS_FAKE_DOMAIN}`)
      ? hostname.slice(0, -SLS_FAKE_DOMAIN.length - 1)
      : undefined;
    const requestId = randomBytes(12).toString('hex').toUpperCase();
    const record: SlsReceivedRequest = {
      method,
      path: decodeURIComponent(rawPath),
      host,
      project,
      query: Object.fromEntries(new URLSearchParams(rawQuery)),
      body: raw.toString('utf8'),
      accessKeyId: undefined,
      signature: { ok: false, reason: 'not checked' },
      status: 0,
    };
    requests.push(record);
    if (requests.length > 500) requests.shift();

    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'x-log-requestid': requestId, ...headers });
      res.end(body);
    };
    const fail = (fault: SlsFault) =>
      send(fault.status, JSON.stringify({ errorCode: fault.code, errorMessage: fault.message }), {
        'content-type': 'application/json',
      });

    try {
      const accessKeyId = /^LOG ([^:\s]+):/.exec(String(req.headers.authorization ?? ''))?.[1];
      record.accessKeyId = accessKeyId;
      const key = accessKeyId ? keys.get(accessKeyId) : undefined;
      if (!key) throw new SlsFault(401, 'Unauthorized', 'The AccessKeyId is not found or disabled.');
      record.signature = verifySlsSignature(
        { method, url, headers: req.headers, rawBody: raw },
        {
          accessKeyId: key.accessKeyId,
          accessKeySecret: key.accessKeySecret,
          ...(key.securityToken ? { sessionToken: key.securityToken } : {}),
        },
      );
      if (!record.signature.ok)
        throw new SlsFault(401, 'SignatureNotMatch', `signature mismatch: ${record.signature.reason}`);
      const injected = failures.shift();
      if (injected) throw new SlsFault(injected.status, injected.errorCode, injected.errorMessage);

      const logstoreMatch = /^\/logstores\/([^/]+)$/.exec(record.path);
      if (method === 'GET' && logstoreMatch && record.query.type === 'log') {
        if (!project) throw new SlsFault(400, 'ProjectNotSpecified', 'The project must be in the Host header.');
        const rows = options.rows(project, logstoreMatch[1] as string);
        if (rows === undefined) {
          throw new SlsFault(404, 'LogStoreNotExist', `logstore ${logstoreMatch[1]} does not exist`);
        }
        const answer = getLogs(rows, record.query);
        const progress = incomplete > 0 ? 'Incomplete' : 'Complete';
        if (incomplete > 0) incomplete--;
        send(200, JSON.stringify(answer), {
          'content-type': 'application/json',
          'x-log-progress': progress,
          'x-log-count': String(answer.length),
          'x-log-processed-rows': String(rows.length),
          'x-log-elapsed-millisecond': '3',
        });
        return;
      }
      if (method === 'POST' && record.path === '/ml/tool/call') {
        if (project) throw new SlsFault(400, 'InvalidHost', 'CallAiTools is served on the endpoint without a project.');
        const body = JSON.parse(record.body || '{}') as {
          params?: Record<string, string>;
          regionId?: string;
          toolName?: string;
        };
        if (!body.toolName) throw new SlsFault(400, 'ParameterInvalid', 'toolName is required');
        if (!options.aiTool) throw new SlsFault(404, 'ToolNotExist', `tool ${body.toolName} does not exist`);
        send(200, options.aiTool(body.toolName, body.params ?? {}, body.regionId ?? ''), {
          'content-type': 'text/plain',
        });
        return;
      }
      throw new SlsFault(404, 'NotFound', `no such API: ${method} ${record.path}`);
    } catch (error) {
      if (error instanceof SlsFault) return fail(error);
      if (error instanceof SyntaxError) return fail(new SlsFault(400, 'ParameterInvalid', error.message));
      throw error;
    }
  }

  function getLogs(rows: readonly SlsRow[], query: Record<string, string>): SlsRow[] {
    const from = Number(query.from);
    const to = Number(query.to);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
      throw new SlsFault(400, 'ParameterInvalid', 'from must be before to');
    }
    const line = query.line === undefined ? 100 : Number(query.line);
    if (!Number.isInteger(line) || line < 0 || line > 100)
      throw new SlsFault(400, 'ParameterInvalid', 'line must be 0–100');
    const text = (query.query ?? '*').trim() || '*';
    if (text.includes('|')) {
      throw new SlsFault(
        400,
        'ParameterInvalid',
        'this simulated SLS answers searches only, not analytic (| SELECT) statements',
      );
    }
    const matches = compileSearch(text);
    const inRange = rows
      .filter((r) => Number(r.__time__) >= from && Number(r.__time__) < to)
      .filter((r) => matches(r))
      .sort((a, b) => Number(a.__time__) - Number(b.__time__));
    if (query.reverse === 'true') inRange.reverse();
    const offset = Number(query.offset ?? 0) || 0;
    return inRange.slice(offset, offset + line);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorCode: 'InternalServerError', errorMessage: 'the fake failed' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `${SLS_FAKE_DOMAIN}:${port}`,
    port,
    requests,
    addKey: (key) => keys.set(key.accessKeyId, key),
    incompleteNext: (times) => {
      incomplete = times;
    },
    failNext: (failure, times = 1) => {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// --- SLS search syntax, as far as the tools use it ----------------------------------------

type Token =
  | { kind: 'lparen' | 'rparen' | 'and' | 'or' | 'not' }
  | { kind: 'term'; field?: string; value: string; prefix: boolean };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readValue = (): { value: string; prefix: boolean } => {
    while (text[i] === ' ') i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        value += text[i++] ?? '';
      }
      if (text[i] !== '"') throw new SlsFault(400, 'ParameterInvalid', 'unterminated quote in query');
      i++;
    } else {
      while (i < text.length && !/[\s()]/.test(text[i] as string)) value += text[i++];
    }
    let prefix = false;
    if (text[i] === '*') {
      prefix = true;
      i++;
    } else if (value.endsWith('*') && value.length > 1) {
      prefix = true;
      value = value.slice(0, -1);
    }
    return { value, prefix };
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ') {
      i++;
    } else if (c === '(') {
      tokens.push({ kind: 'lparen' });
      i++;
    } else if (c === ')') {
      tokens.push({ kind: 'rparen' });
      i++;
    } else if (c === '"') {
      tokens.push({ kind: 'term', ...readValue() });
    } else {
      const word = /^[^\s():"]+/.exec(text.slice(i))?.[0] ?? '';
      const after = text.slice(i + word.length);
      if (/^\s*:/.test(after)) {
        i += word.length + (after.indexOf(':') + 1);
        tokens.push({ kind: 'term', field: word, ...readValue() });
      } else if (/^(and|or|not)$/i.test(word)) {
        tokens.push({ kind: word.toLowerCase() as 'and' | 'or' | 'not' });
        i += word.length;
      } else {
        tokens.push({ kind: 'term', ...readValue() });
      }
    }
  }
  return tokens;
}

function fieldValue(row: SlsRow, field: string): string | undefined {
  if (row[field] !== undefined) return row[field];
  const [head, ...rest] = field.split('.');
  let value: unknown = row[head as string];
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  for (const part of rest)
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
}

function compileSearch(text: string): (row: SlsRow) => boolean {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const parseOr = (): ((row: SlsRow) => boolean) => {
    let left = parseAnd();
    while (peek()?.kind === 'or') {
      pos++;
      const l = left;
      const r = parseAnd();
      left = (row) => l(row) || r(row);
    }
    return left;
  };
  const parseAnd = (): ((row: SlsRow) => boolean) => {
    let left = parseNot();
    for (;;) {
      const next = peek();
      if (next?.kind === 'and') pos++;
      else if (!(next && (next.kind === 'term' || next.kind === 'lparen' || next.kind === 'not'))) break;
      const l = left;
      const r = parseNot();
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  const parseNot = (): ((row: SlsRow) => boolean) => {
    if (peek()?.kind === 'not') {
      pos++;
      const inner = parseNot();
      return (row) => !inner(row);
    }
    return parseAtom();
  };
  const parseAtom = (): ((row: SlsRow) => boolean) => {
    const token = tokens[pos++];
    if (!token) throw new SlsFault(400, 'ParameterInvalid', 'incomplete query');
    if (token.kind === 'lparen') {
      const inner = parseOr();
      if (tokens[pos++]?.kind !== 'rparen') throw new SlsFault(400, 'ParameterInvalid', 'missing )');
      return inner;
    }
    if (token.kind !== 'term') throw new SlsFault(400, 'ParameterInvalid', `unexpected ${token.kind}`);
    const wanted = token.value.toLowerCase();
    if (!token.field && (token.value === '*' || (wanted === '' && token.prefix))) return () => true;
    const test = (v: string | undefined) => {
      if (v === undefined) return false;
      const have = v.toLowerCase();
      return token.prefix ? have.startsWith(wanted) : have === wanted;
    };
    if (token.field) return (row) => test(fieldValue(row, token.field as string));
    // A bare term matches when any field contains it.
    return (row) => Object.values(row).some((v) => v.toLowerCase().includes(wanted));
  };
  const matcher = parseOr();
  if (pos !== tokens.length) throw new SlsFault(400, 'ParameterInvalid', 'unexpected text after the query');
  return matcher;
}

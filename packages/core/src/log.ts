/**
 * stderr-only logger: stdout belongs to stdio protocol frames. JSON lines when stderr is not a
 * terminal (for log shippers), short human lines when it is. Secrets are redacted by key name
 * and by the values the server registered as secret.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  readonly level: LogLevel;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values are never written, whatever their content. */
const SECRET_KEY =
  /(secret|password|passwd|token|authorization|api[-_]?key|credential|access[-_]?key|cookie|signature)/i;

export const REDACTED = '[redacted]';

/** Replaces values under secret-looking keys, and any registered secret value, in a JSON-able value. */
export function redact(value: unknown, secrets: ReadonlySet<string> = new Set(), depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') {
    let out = value;
    for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redact(value.message, secrets, depth + 1) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, secrets, depth + 1);
    }
    return out;
  }
  return value;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Force JSON lines (default: when stderr is not a TTY). */
  json?: boolean;
  /** Values never to write (API keys, passwords from settings). */
  secrets?: Iterable<string>;
  write?: (line: string) => void;
  fields?: LogFields;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const json = options.json ?? !process.stderr.isTTY;
  const secrets = new Set(options.secrets ?? []);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = options.fields ?? {};

  const emit = (lvl: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const all = redact({ ...base, ...fields }, secrets) as LogFields;
    const msg = redact(message, secrets) as string;
    if (json) {
      write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...all }));
    } else {
      const extra = Object.entries(all)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      write(`${lvl.toUpperCase().padEnd(5)} ${msg}${extra ? ` ${extra}` : ''}`);
    }
  };

  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ level, json, secrets, write, fields: { ...base, ...fields } }),
  };
}

import { ConfigError } from '@opsmcp/core';

/** Everything the agent needs to run, resolved and validated. */
export interface AgentSettings {
  /** StarRocks FE host (MySQL protocol). */
  srHost: string;
  srPort: number;
  srUser: string;
  srPassword: string;
  srDatabase: string;
  /** Address the agent listens on. */
  host: string;
  /** Port the agent listens on; 0 picks a free one. */
  port: number;
  /** Shared secret the central server sends in X-Agent-Token. */
  token: string;
  /** PEM certificate and key files; with both the agent serves HTTPS. */
  tlsCert?: string;
  tlsKey?: string;
  /** Longest a statement may run; a caller's timeout_ms is capped at it. */
  statementTimeoutMs: number;
  /** Statements run at once (also the size of the connection pool). */
  maxConcurrency: number;
  /** Statements that may wait for a free slot; beyond it requests get 429. */
  maxQueue: number;
  /** Most bytes of row data kept per statement. */
  maxResultBytes: number;
  /** Most rows kept per statement. */
  maxRows: number;
  /** Largest request body accepted. */
  maxBodyBytes: number;
  /** Longest statement accepted (characters). */
  maxStatementChars: number;
}

/** Shortest AGENT_TOKEN accepted: `init` writes 64 hexadecimal characters. */
export const MIN_TOKEN_LENGTH = 32;

type Kind = 'string' | 'integer' | 'secret';

/** One environment variable of the agent, as --help and the README list it. */
export interface AgentVariable {
  env: string;
  /** The command-line flag mirroring it; secrets have none (a flag would show in `ps`). */
  flag?: string;
  key: keyof AgentSettings;
  kind: Kind;
  required?: boolean;
  default?: string | number;
  min?: number;
  max?: number;
  description: string;
}

const MIB = 1_048_576;

/** Every variable the agent reads; the environment names are the contract. */
export const AGENT_VARIABLES: readonly AgentVariable[] = [
  { env: 'SR_HOST', flag: 'sr-host', key: 'srHost', kind: 'string', required: true, description: 'StarRocks FE host' },
  {
    env: 'SR_PORT',
    flag: 'sr-port',
    key: 'srPort',
    kind: 'integer',
    default: 9030,
    min: 1,
    max: 65_535,
    description: 'StarRocks FE query (MySQL protocol) port',
  },
  {
    env: 'SR_USER',
    flag: 'sr-user',
    key: 'srUser',
    kind: 'string',
    required: true,
    description: 'StarRocks user the agent connects as (a read-only user is enough)',
  },
  {
    env: 'SR_PASSWORD',
    key: 'srPassword',
    kind: 'secret',
    default: '',
    description: 'Password of that user (environment or .env only)',
  },
  {
    env: 'SR_DATABASE',
    flag: 'sr-database',
    key: 'srDatabase',
    kind: 'string',
    default: 'information_schema',
    description: 'Default database of the connections',
  },
  {
    env: 'AGENT_HOST',
    flag: 'host',
    key: 'host',
    kind: 'string',
    default: '127.0.0.1',
    description: 'Address to listen on; anything but loopback is logged as a warning',
  },
  {
    env: 'AGENT_PORT',
    flag: 'port',
    key: 'port',
    kind: 'integer',
    default: 8080,
    min: 0,
    max: 65_535,
    description: 'Port to listen on (0 picks a free one)',
  },
  {
    env: 'AGENT_TOKEN',
    key: 'token',
    kind: 'secret',
    required: true,
    description: `Shared secret the central server sends in X-Agent-Token, at least ${MIN_TOKEN_LENGTH} characters (environment or .env only; \`init\` writes one)`,
  },
  {
    env: 'AGENT_TLS_CERT',
    flag: 'tls-cert',
    key: 'tlsCert',
    kind: 'string',
    description: 'PEM certificate file; with AGENT_TLS_KEY the agent serves HTTPS',
  },
  {
    env: 'AGENT_TLS_KEY',
    flag: 'tls-key',
    key: 'tlsKey',
    kind: 'string',
    description: 'PEM private key file of that certificate',
  },
  {
    env: 'AGENT_STATEMENT_TIMEOUT_MS',
    flag: 'statement-timeout-ms',
    key: 'statementTimeoutMs',
    kind: 'integer',
    default: 30_000,
    min: 100,
    max: 3_600_000,
    description: "Longest a statement may run (a caller's timeout_ms is capped at it); then 504 TIMEOUT",
  },
  {
    env: 'AGENT_MAX_CONCURRENCY',
    flag: 'max-concurrency',
    key: 'maxConcurrency',
    kind: 'integer',
    default: 8,
    min: 1,
    max: 256,
    description: 'Statements run at once (and database connections); more wait in the queue',
  },
  {
    env: 'AGENT_MAX_QUEUE',
    flag: 'max-queue',
    key: 'maxQueue',
    kind: 'integer',
    default: 64,
    min: 0,
    max: 100_000,
    description: 'Statements that may wait for a slot; a request that does not fit gets 429 RATE_LIMITED',
  },
  {
    env: 'AGENT_MAX_RESULT_BYTES',
    flag: 'max-result-bytes',
    key: 'maxResultBytes',
    kind: 'integer',
    default: 8 * MIB,
    min: 1024,
    max: 1024 * MIB,
    description: 'Most bytes of row data per statement; the result is cut there (truncated "bytes")',
  },
  {
    env: 'AGENT_MAX_ROWS',
    flag: 'max-rows',
    key: 'maxRows',
    kind: 'integer',
    default: 100_000,
    min: 1,
    max: 10_000_000,
    description: 'Most rows per statement (and the largest max_rows); the result is cut there (truncated "rows")',
  },
  {
    env: 'AGENT_MAX_BODY_BYTES',
    flag: 'max-body-bytes',
    key: 'maxBodyBytes',
    kind: 'integer',
    default: MIB,
    min: 1024,
    max: 64 * MIB,
    description: 'Largest request body; larger is 413',
  },
  {
    env: 'AGENT_MAX_STATEMENT_CHARS',
    flag: 'max-statement-chars',
    key: 'maxStatementChars',
    kind: 'integer',
    default: 20_000,
    min: 100,
    max: 1_000_000,
    description: 'Longest statement accepted (characters); longer is 400 INVALID_ARGUMENT',
  },
];

/**
 * Reads and validates the agent's settings from environment-style variables (the real
 * environment merged over the .env file by the caller). Every problem is a ConfigError naming
 * the variable; secrets never appear in a message.
 */
export function resolveAgentSettings(env: Record<string, string | undefined>): AgentSettings {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const variable of AGENT_VARIABLES) {
    const raw = env[variable.env];
    // An empty line in .env (`SR_HOST=`) means "not set", except for a password, which may be empty.
    const value = raw === undefined || (raw.trim() === '' && variable.env !== 'SR_PASSWORD') ? undefined : raw;
    if (value === undefined) {
      if (variable.required) problems.push(`${variable.env} is required (${variable.description})`);
      else if (variable.default !== undefined) out[variable.key] = variable.default;
      continue;
    }
    if (variable.kind === 'integer') {
      const text = value.trim();
      const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      const min = variable.min ?? 0;
      const max = variable.max ?? Number.MAX_SAFE_INTEGER;
      if (!Number.isSafeInteger(number) || number < min || number > max) {
        problems.push(`${variable.env} must be an integer from ${min} to ${max}, got '${text}'`);
        continue;
      }
      out[variable.key] = number;
    } else if (variable.kind === 'secret') {
      out[variable.key] = value;
    } else {
      out[variable.key] = value.trim();
    }
  }
  const token = out.token as string | undefined;
  if (token !== undefined) {
    if (token.length < MIN_TOKEN_LENGTH) {
      problems.push(
        `AGENT_TOKEN is too short (${token.length} characters; at least ${MIN_TOKEN_LENGTH}). Run \`opsmcp-starrocks-agent init\` to generate one.`,
      );
    } else if (!/^[\x21-\x7e]+$/.test(token)) {
      problems.push('AGENT_TOKEN may contain only printable ASCII characters without spaces (it travels in a header)');
    }
  }
  if ((out.tlsCert === undefined) !== (out.tlsKey === undefined)) {
    problems.push('AGENT_TLS_CERT and AGENT_TLS_KEY go together: set both (HTTPS) or neither (HTTP)');
  }
  if (problems.length > 0) throw new ConfigError(`invalid settings:\n  - ${problems.join('\n  - ')}`);
  return out as unknown as AgentSettings;
}

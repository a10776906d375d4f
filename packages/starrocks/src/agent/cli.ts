import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, formatErrorText, isOpsError, parseDotEnv } from '@opsmcp/core';
import { initAgent } from './init.js';
import { MAX_BATCH_STATEMENTS } from './protocol.js';
import { AGENT_VERSION, checkDatabase, startAgent } from './server.js';
import { AGENT_VARIABLES, MIN_TOKEN_LENGTH, resolveAgentSettings } from './settings.js';

const NAME = 'opsmcp-starrocks-agent';

export interface AgentCliOptions {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

interface ParsedArgs {
  command: 'serve' | 'init';
  initDir?: string;
  force: boolean;
  check: boolean;
  help: boolean;
  version: boolean;
  envFile?: string;
  /** Settings given as flags, by their environment name. */
  overrides: Record<string, string>;
}

const FLAG_TO_ENV = new Map(AGENT_VARIABLES.filter((v) => v.flag).map((v) => [v.flag as string, v.env]));

function parseArgs(argv: string[]): ParsedArgs {
  const args: ParsedArgs = { command: 'serve', force: false, check: false, help: false, version: false, overrides: {} };
  const rest = [...argv];
  if (rest[0] === 'init') {
    args.command = 'init';
    rest.shift();
  }
  while (rest.length > 0) {
    const arg = rest.shift() as string;
    if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--version' || arg === '-v') args.version = true;
    else if (arg === '--check') args.check = true;
    else if (arg === '--force') args.force = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const value = eq < 0 ? rest.shift() : arg.slice(eq + 1);
      if (name !== 'env-file' && !FLAG_TO_ENV.has(name)) throw new ConfigError(`unknown flag --${name} (see --help)`);
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new ConfigError(`--${name} needs a value`);
      if (name === 'env-file') args.envFile = value;
      else args.overrides[FLAG_TO_ENV.get(name) as string] = value;
    } else if (args.command === 'init' && args.initDir === undefined) args.initDir = arg;
    else throw new ConfigError(`unexpected argument '${arg}' (see --help)`);
  }
  return args;
}

/** The help text: every command, flag and environment variable. */
export function agentHelpText(): string {
  const pad = (text: string, width: number) => text.padEnd(width);
  const variables = AGENT_VARIABLES.map((v) => {
    const notes = [
      v.required ? 'required' : v.default !== undefined ? `default ${v.default === '' ? "''" : v.default}` : 'optional',
      v.flag ? `flag --${v.flag}` : 'no flag',
    ].join('; ');
    return `  ${pad(v.env, 32)}${v.description} (${notes})`;
  });
  return [
    `${NAME} ${AGENT_VERSION}: runs read-only diagnostic SQL against a private StarRocks cluster for a central opsmcp StarRocks server.`,
    '',
    'Usage:',
    `  ${NAME} [--env-file <path>] [flags]     start the agent (HTTP, or HTTPS with AGENT_TLS_CERT/AGENT_TLS_KEY)`,
    `  ${NAME} --check [--env-file <path>]     connect to StarRocks once, print its version or the error (exit 0/1)`,
    `  ${NAME} init [dir] [--force]            write <dir>/.env (default: the current directory) with a new token, mode 0600`,
    `  ${NAME} --help | --version`,
    '',
    'Flags:',
    `  ${pad('--env-file <path>', 32)}settings file (default ./.env when it exists); real environment variables win over it`,
    `  ${pad('--check', 32)}test the database connection and exit`,
    `  ${pad('--force', 32)}with init: replace an existing .env (and its token)`,
    `  ${pad('--help, -h', 32)}this text`,
    `  ${pad('--version, -v', 32)}the version`,
    ...AGENT_VARIABLES.filter((v) => v.flag).map((v) => `  ${pad(`--${v.flag} <value>`, 32)}same as ${v.env}`),
    '',
    'Environment variables (also read from the .env file; flags win over both):',
    ...variables,
    '',
    'Endpoints (JSON):',
    '  GET  /health                 no token; {"status":"ok","version":…}',
    '  GET|POST /test-connection    {"ok":true,"database_version":…,"duration_ms":…}',
    '  POST /execute-sql            {"sql":"…","max_rows"?:n,"timeout_ms"?:n}',
    `  POST /execute-batch          {"statements":["…",…] (1–${MAX_BATCH_STATEMENTS}),"max_rows"?:n,"timeout_ms"?:n}`,
    `Every endpoint but /health needs the header X-Agent-Token: <AGENT_TOKEN> (at least ${MIN_TOKEN_LENGTH} characters).`,
    'Only statements the read-only SQL guard accepts run (SELECT, SHOW, DESCRIBE, EXPLAIN, ADMIN SHOW; one at a time).',
    'SIGTERM/SIGINT: stop accepting, let requests in flight finish (up to 10 s), close the pool, exit 0.',
  ].join('\n');
}

/** The .env file to read: --env-file (which must exist), or ./.env when there is one. */
function readEnvFile(
  envFile: string | undefined,
  cwd: string,
): { path?: string; vars: Record<string, string>; loose: boolean } {
  const path = envFile ? resolve(cwd, envFile) : join(cwd, '.env');
  if (!envFile && !existsSync(path)) return { vars: {}, loose: false };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`--env-file: cannot read ${path}: ${(error as Error).message}`);
  }
  // Group- or world-readable: the token and password are visible to other users.
  const loose = process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0;
  return { path, vars: parseDotEnv(text), loose };
}

/**
 * The whole CLI. Resolves with the exit code for one-shot commands, or undefined once the agent
 * serves (it then runs until SIGTERM/SIGINT, which close it and exit 0).
 */
export async function runAgentCli(options: AgentCliOptions): Promise<number | undefined> {
  const out = options.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = options.err ?? ((text: string) => process.stderr.write(`${text}\n`));
  try {
    const args = parseArgs(options.argv);
    if (args.help) {
      out(agentHelpText());
      return 0;
    }
    if (args.version) {
      out(AGENT_VERSION);
      return 0;
    }
    if (args.command === 'init') {
      const result = initAgent(resolve(options.cwd, args.initDir ?? '.'), { force: args.force });
      out(result.instructions);
      return 0;
    }
    const file = readEnvFile(args.envFile, options.cwd);
    const defined = Object.fromEntries(Object.entries(options.env).filter(([, v]) => v !== undefined));
    const settings = resolveAgentSettings({ ...file.vars, ...defined, ...args.overrides });
    if (file.loose) err(`${NAME}: warning: ${file.path} is readable by other users; run chmod 600 on it`);

    if (args.check) {
      try {
        const { version, durationMs } = await checkDatabase(settings);
        out(`StarRocks ${version} at ${settings.srHost}:${settings.srPort} as ${settings.srUser} (${durationMs} ms)`);
        return 0;
      } catch (error) {
        err(isOpsError(error) ? formatErrorText(error, { retryNote: false }) : String(error));
        return 1;
      }
    }

    const agent = await startAgent(settings);
    const local = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
    const base = agent.url.replace(`//${settings.host}:`, `//${local.includes(':') ? `[${local}]` : local}:`);
    const curl = settings.tlsCert ? `curl --cacert ${settings.tlsCert}` : 'curl';
    err(
      [
        '',
        `${NAME} ${AGENT_VERSION} listening on ${agent.url}, StarRocks at ${settings.srHost}:${settings.srPort}${settings.tlsCert ? ' (HTTPS)' : ''}`,
        `  health:           ${curl} ${base}/health`,
        `  test connection:  ${curl} -H "X-Agent-Token: <your AGENT_TOKEN>" ${base}/test-connection`,
        '  stop:             Ctrl-C or SIGTERM (requests in flight finish first)',
        '',
      ].join('\n'),
    );
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      err(`${NAME}: ${signal} received, stopping`);
      void agent.close().finally(() => process.exit(0));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) err(`${NAME}: ${error.message}`);
    else if (isOpsError(error)) err(`${NAME}: ${formatErrorText(error, { retryNote: false })}`);
    else err(`${NAME}: failed to start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

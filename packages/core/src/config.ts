import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { type CoreSettings, coreSettingsSpec } from './core-settings.js';
import type { AnyServerDefinition } from './definition.js';
import { REDACTED } from './log.js';
import type { SettingSpec, SettingsSpec } from './settings.js';

/** A setting that cannot be used: reported at startup, before anything is served. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** One-shot actions of the CLI that are not settings. */
export interface CliActions {
  help: boolean;
  version: boolean;
  printConfig: boolean;
  check: boolean;
  configFile?: string;
}

export interface ConfigSources {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Where `.env` is looked for; no `.env` is read when undefined. */
  cwd?: string;
  /** Typed values that win over everything (library embedding, tests). */
  overrides?: Record<string, unknown>;
}

export type SettingSource = 'override' | 'cli' | `env:${string}` | 'file' | 'default';

export interface ResolvedConfig<Settings = Record<string, unknown>> {
  settings: Settings & CoreSettings;
  sources: Record<string, SettingSource>;
  actions: CliActions;
  spec: SettingsSpec;
}

/** Core's settings with the server's changes, followed by the server's own. */
export function settingsSpecOf(definition: AnyServerDefinition): SettingsSpec {
  const spec: SettingsSpec = {};
  for (const [key, base] of Object.entries(coreSettingsSpec) as [string, SettingSpec][]) {
    const change = definition.coreSettings?.[key as keyof CoreSettings];
    spec[key] = change
      ? {
          ...base,
          default: change.default ?? base.default,
          env: [...base.env, ...(change.env ?? [])],
        }
      : base;
  }
  for (const [key, value] of Object.entries(ownSettingsSpecOf(definition))) {
    if (key in spec) throw new Error(`${definition.name}: setting "${key}" is already a core setting`);
    spec[key] = value;
  }
  if (!definition.sandbox) delete spec.sandbox;
  if (!definition.toolsets) delete spec.toolsets;
  return spec;
}

/**
 * The server's own settings (not core's). A credential provider's settings are spread into the
 * server's own, so they are typed with them; a provider whose settings are missing is a
 * programming error caught here.
 */
export function ownSettingsSpecOf(definition: AnyServerDefinition): SettingsSpec {
  const spec = definition.settings as SettingsSpec;
  for (const provider of definition.credentials?.providers ?? []) {
    const missing = Object.keys(provider.settings).filter((key) => spec[key] !== provider.settings[key]);
    if (missing.length > 0) {
      throw new Error(
        `${definition.name}: the ${provider.id} credential provider's settings (${missing.join(', ')}) are not in the server's settings: spread them in.`,
      );
    }
  }
  return spec;
}

/** Parses `--flag value`, `--flag=value` and switches; an unknown flag is an error. */
export function parseArgv(
  argv: readonly string[],
  spec: SettingsSpec,
): { values: Record<string, string>; actions: CliActions } {
  const byFlag = new Map<string, [string, SettingSpec]>();
  for (const [key, s] of Object.entries(spec)) byFlag.set(s.flag, [key, s]);
  const values: Record<string, string> = {};
  const actions: CliActions = { help: false, version: false, printConfig: false, check: false };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') {
      actions.help = true;
      continue;
    }
    if (arg === '-v' || arg === '--version') {
      actions.version = true;
      continue;
    }
    if (arg === '--print-config') {
      actions.printConfig = true;
      continue;
    }
    if (arg === '--check') {
      actions.check = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new ConfigError(`Unexpected argument "${arg}". See --help.`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (name === 'config') {
      value ??= argv[++i];
      if (!value) throw new ConfigError('--config needs a file path (JSON or YAML).');
      actions.configFile = value;
      continue;
    }
    const entry = byFlag.get(name);
    if (!entry) throw new ConfigError(`Unknown option --${name}. See --help for the options.`);
    const [key, s] = entry;
    if (value === undefined) {
      if (s.switch) value = 'true';
      else {
        value = argv[++i];
        if (value === undefined || value.startsWith('--')) {
          throw new ConfigError(`--${name} needs a value (${s.valueName ?? 'see --help'}).`);
        }
      }
    }
    values[key] = value;
  }
  return { values, actions };
}

/** Minimal .env reader: KEY=VALUE lines, optional quotes, # comments. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = (m[2] as string).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      const hash = value.indexOf(' #');
      if (hash !== -1) value = value.slice(0, hash).trim();
    }
    out[m[1] as string] = value;
  }
  return out;
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    if (/\.ya?ml$/i.test(path)) {
      // Bundled bins see the CommonJS build of `yaml`, whose functions sit on the default export.
      const yaml = (await import('yaml')) as typeof import('yaml') & { default?: typeof import('yaml') };
      const parseYaml = typeof yaml.parse === 'function' ? yaml.parse : yaml.default?.parse;
      if (!parseYaml) throw new Error('the YAML parser could not be loaded');
      data = parseYaml(text);
    } else {
      data = JSON.parse(text);
    }
  } catch (error) {
    throw new ConfigError(
      `Config file ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
    );
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`Config file ${path} must hold an object of settings.`);
  }
  return data as Record<string, unknown>;
}

/** A file may name a setting by its key (`allowWrite`), its flag (`allow-write`) or an env name. */
function fileValue(file: Record<string, unknown>, key: string, s: SettingSpec): unknown {
  if (key in file) return file[key];
  if (s.flag in file) return file[s.flag];
  for (const name of s.env) if (name in file) return file[name];
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  return issue ? issue.message : 'an invalid value';
}

/** Resolves every setting: override > CLI > env (and .env) > config file > default. */
export async function resolveConfig<Settings = Record<string, unknown>>(
  definition: AnyServerDefinition,
  sources: ConfigSources = {},
): Promise<ResolvedConfig<Settings>> {
  const spec = settingsSpecOf(definition);
  const { values: cli, actions } = parseArgv(sources.argv ?? [], spec);
  const processEnv = sources.env ?? {};
  let dotEnv: Record<string, string> = {};
  if (sources.cwd) {
    const path = resolve(sources.cwd, '.env');
    if (existsSync(path)) dotEnv = parseDotEnv(readFileSync(path, 'utf8'));
  }
  const env = { ...dotEnv, ...processEnv };
  const configFile = actions.configFile ?? env.MCP_CONFIG;
  const file = configFile ? await readConfigFile(configFile) : {};
  const overrides = sources.overrides ?? {};
  const unknownOverrides = Object.keys(overrides).filter((key) => !(key in spec));
  if (unknownOverrides.length > 0) {
    throw new ConfigError(
      `Unknown setting(s) ${unknownOverrides.map((k) => `"${k}"`).join(', ')}. Known settings: ${Object.keys(spec).join(', ')}.`,
    );
  }

  const settings: Record<string, unknown> = {};
  const origin: Record<string, SettingSource> = {};
  const problems: string[] = [];

  for (const [key, s] of Object.entries(spec)) {
    let raw: unknown;
    let from: SettingSource = 'default';
    if (overrides[key] !== undefined) {
      raw = overrides[key];
      from = 'override';
    } else if (cli[key] !== undefined) {
      raw = cli[key];
      from = 'cli';
    } else {
      const name = s.env.find((n) => env[n] !== undefined && env[n] !== '');
      if (name) {
        raw = env[name];
        from = `env:${name}`;
      } else {
        const fromFile = fileValue(file, key, s);
        if (fromFile !== undefined) {
          raw = fromFile;
          from = 'file';
        }
      }
    }
    origin[key] = from;
    if (from === 'default') {
      settings[key] = s.default;
      continue;
    }
    const parsed = s.schema.safeParse(raw);
    if (parsed.success) {
      settings[key] = parsed.data;
    } else {
      const where =
        from === 'cli'
          ? `--${s.flag}`
          : from.startsWith('env:')
            ? from.slice(4)
            : from === 'file'
              ? `${configFile}`
              : 'override';
      // The value itself is never echoed: a secret given to the wrong flag would end up in logs.
      problems.push(
        `${key} (--${s.flag}, env ${s.env.join(' / ')}): the value from ${where} is not valid: ${describeIssue(parsed.error.issues[0])}. ${s.description}.`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return { settings: settings as Settings & CoreSettings, sources: origin, actions, spec };
}

/** The effective settings for --print-config, secrets redacted. */
export function printableConfig<S>(
  config: ResolvedConfig<S>,
): Record<string, { value: unknown; source: SettingSource }> {
  const out: Record<string, { value: unknown; source: SettingSource }> = {};
  for (const [key, s] of Object.entries(config.spec)) {
    const value = (config.settings as Record<string, unknown>)[key];
    const empty = value === undefined || (Array.isArray(value) && value.length === 0) || value === '';
    out[key] = { value: s.secret && !empty ? REDACTED : value, source: config.sources[key] ?? 'default' };
  }
  return out;
}

/** The values registered as secret, so the logger can scrub them wherever they appear. */
export function secretValues<S>(config: ResolvedConfig<S>): string[] {
  const out: string[] = [];
  for (const [key, s] of Object.entries(config.spec)) {
    if (!s.secret) continue;
    const value = (config.settings as Record<string, unknown>)[key];
    if (typeof value === 'string' && value) out.push(value);
    if (Array.isArray(value)) for (const v of value) if (typeof v === 'string' && v) out.push(v);
  }
  return out;
}

function formatDefault(value: unknown): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '';
  if (Array.isArray(value)) return ` (default: ${value.join(',')})`;
  return ` (default: ${String(value)})`;
}

/** Generated --help: every setting with its flag, env names, default and description. */
export function helpText(definition: AnyServerDefinition): string {
  const spec = settingsSpecOf(definition);
  const own = new Set(Object.keys(ownSettingsSpecOf(definition)));
  const line = (s: SettingSpec) => {
    const flag = s.switch ? `--${s.flag}` : `--${s.flag} <${s.valueName ?? 'value'}>`;
    return `  ${flag}\n      ${s.description}${formatDefault(s.default)}\n      env: ${s.env.join(', ')}`;
  };
  const serverLines = Object.entries(spec)
    .filter(([k]) => own.has(k))
    .map(([, s]) => line(s));
  const coreLines = Object.entries(spec)
    .filter(([k]) => !own.has(k))
    .map(([, s]) => line(s));
  const toolsets = definition.toolsets
    ? [
        '',
        'Toolsets (--toolsets):',
        ...Object.entries(definition.toolsets).map(([name, description]) => `  ${name.padEnd(16)} ${description}`),
      ]
    : [];
  return [
    `opsmcp-${definition.name} ${definition.version} — ${definition.title}`,
    '',
    `Usage: opsmcp-${definition.name} [options]`,
    '',
    `${definition.title} settings:`,
    ...serverLines,
    '',
    'Server settings:',
    ...coreLines,
    ...toolsets,
    '',
    'Commands:',
    '  --config <file>     read settings from a JSON or YAML file (env: MCP_CONFIG)',
    '  --print-config      print the effective settings (secrets redacted) and exit',
    '  --check             test connectivity to the backend and exit 0 (ok) or 1',
    '  --version, -v       print the version and exit',
    '  --help, -h          print this help and exit',
    '',
    'Precedence: command line > environment (and .env in the working directory) > --config file > default.',
  ].join('\n');
}

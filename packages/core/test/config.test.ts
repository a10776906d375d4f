import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  helpText,
  parseDotEnv,
  printableConfig,
  REDACTED,
  resolveConfig,
  settingsSpecOf,
} from '../src/index.js';
import { testServer } from './fixtures/test-server.js';

function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsmcp-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('config precedence', () => {
  it('CLI > env > config file > default', async () => {
    const dir = tempDir({ 'c.json': JSON.stringify({ greeting: 'from-file', port: 7001, logLevel: 'warn' }) });
    const file = join(dir, 'c.json');
    const all = await resolveConfig(testServer, {
      argv: ['--config', file, '--greeting', 'from-cli'],
      env: { TEST_GREETING: 'from-env', MCP_PORT: '7002' },
    });
    expect(all.settings.greeting).toBe('from-cli');
    expect(all.sources.greeting).toBe('cli');
    expect(all.settings.port).toBe(7002);
    expect(all.sources.port).toBe('env:MCP_PORT');
    expect(all.settings.logLevel).toBe('warn');
    expect(all.sources.logLevel).toBe('file');
    expect(all.settings.transport).toBe('stdio');
    expect(all.sources.transport).toBe('default');
  });

  it('reads env aliases after the canonical name, and .env below the real environment', async () => {
    const dir = tempDir({
      '.env': 'LEGACY_GREETING="from dotenv"\nMCP_PORT=7100 # comment\n# skipped\nexport MCP_HOST=127.0.0.2\n',
    });
    const viaAlias = await resolveConfig(testServer, { env: {}, cwd: dir });
    expect(viaAlias.settings.greeting).toBe('from dotenv');
    expect(viaAlias.sources.greeting).toBe('env:LEGACY_GREETING');
    expect(viaAlias.settings.port).toBe(7100);
    expect(viaAlias.settings.host).toBe('127.0.0.2');
    const canonicalWins = await resolveConfig(testServer, {
      env: { TEST_GREETING: 'canonical', MCP_PORT: '7200' },
      cwd: dir,
    });
    expect(canonicalWins.settings.greeting).toBe('canonical');
    expect(canonicalWins.settings.port).toBe(7200);
  });

  it('reads YAML config files and names settings by key, flag or env name', async () => {
    const dir = tempDir({ 'c.yaml': 'allow-write: true\nMCP_TOOLS:\n  - echo\n  - slow\ngreeting: yaml\n' });
    const config = await resolveConfig(testServer, { argv: [`--config=${join(dir, 'c.yaml')}`], env: {} });
    expect(config.settings.allowWrite).toBe(true);
    expect(config.settings.tools).toEqual(['echo', 'slow']);
    expect(config.settings.greeting).toBe('yaml');
  });

  it('accepts the transport spellings of the seeds', async () => {
    for (const [value, expected] of [
      ['streamable-http', 'http'],
      ['StreamableHTTP', 'http'],
      ['SSE', 'sse'],
      ['Stdio', 'stdio'],
    ]) {
      const config = await resolveConfig(testServer, { env: { MCP_TRANSPORT: value as string } });
      expect(config.settings.transport).toBe(expected);
    }
  });

  it('parses switches, lists and booleans', async () => {
    const config = await resolveConfig(testServer, {
      argv: ['--allow-write', '--stateless=false', '--api-key', 'key-one-0123456789, key-two-0123456789,,'],
      env: { MCP_ALLOWED_ORIGINS: 'https://a.example,https://b.example' },
    });
    expect(config.settings.allowWrite).toBe(true);
    expect(config.settings.stateless).toBe(false);
    expect(config.settings.apiKey).toEqual(['key-one-0123456789', 'key-two-0123456789']);
    expect(config.settings.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});

describe('config errors', () => {
  it('names the setting, its env variable and what is expected', async () => {
    const error = await resolveConfig(testServer, { env: { MCP_PORT: 'eighty' } }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('port (--port, env MCP_PORT)');
    expect(error.message).toContain('the value from MCP_PORT is not valid');
    const transport = await resolveConfig(testServer, { argv: ['--transport', 'carrier-pigeon'] }).catch((e) => e);
    expect(transport.message).toMatch(/transport .*--transport.*stdio/s);
  });

  it('never echoes a value in an error: a secret given to the wrong setting stays out of logs', async () => {
    const password = 'correct-horse-battery-staple';
    const error = await resolveConfig(testServer, { env: { MCP_PORT: password } }).catch((e) => e);
    expect(error.message).toContain('port (--port, env MCP_PORT)');
    expect(error.message).not.toContain(password);
    const flag = await resolveConfig(testServer, { argv: ['--max-sessions', password] }).catch((e) => e);
    expect(flag.message).toContain('--max-sessions');
    expect(flag.message).not.toContain(password);
  });

  it('rejects unknown flags, missing values and a bad config file', async () => {
    await expect(resolveConfig(testServer, { argv: ['--nope'] })).rejects.toThrow(/Unknown option --nope/);
    await expect(resolveConfig(testServer, { argv: ['--port'] })).rejects.toThrow(/--port needs a value/);
    await expect(resolveConfig(testServer, { argv: ['stray'] })).rejects.toThrow(/Unexpected argument/);
    const dir = tempDir({ 'bad.json': '{ nope' });
    await expect(resolveConfig(testServer, { argv: ['--config', join(dir, 'bad.json')] })).rejects.toThrow(
      /not valid JSON/,
    );
    await expect(resolveConfig(testServer, { argv: ['--config', join(dir, 'missing.json')] })).rejects.toThrow(
      /Cannot read/,
    );
  });
});

describe('help and print-config', () => {
  it('documents every setting with flag, env names and default', () => {
    const help = helpText(testServer);
    for (const s of Object.values(settingsSpecOf(testServer))) {
      expect(help).toContain(`--${s.flag}`);
      for (const name of s.env) expect(help).toContain(name);
    }
    expect(help).toContain('TEST_GREETING, LEGACY_GREETING');
    expect(help).toContain('(default: hello)');
    expect(help).toContain('--print-config');
  });

  it('redacts secrets in --print-config', async () => {
    const config = await resolveConfig(testServer, {
      env: { TEST_UPSTREAM_TOKEN: 'tok-very-secret', MCP_API_KEY: 'key-very-secret-0123' },
    });
    const printed = JSON.stringify(printableConfig(config));
    expect(printed).not.toContain('very-secret');
    expect(printableConfig(config).upstreamToken).toEqual({ value: REDACTED, source: 'env:TEST_UPSTREAM_TOKEN' });
    expect(printableConfig(config).greeting).toEqual({ value: 'hello', source: 'default' });
  });
});

describe('.env parsing', () => {
  it('handles quotes, comments and export', () => {
    expect(parseDotEnv('A=1\n B = "two words" \nC=\'x\'\n#D=4\nexport E=5\nF=six # note\nbad line')).toEqual({
      A: '1',
      B: 'two words',
      C: 'x',
      E: '5',
      F: 'six',
    });
  });
});

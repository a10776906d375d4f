import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ConfigError, helpText, printableConfig, resolveConfig, secretValues } from './config.js';
import type { AnyServerDefinition } from './definition.js';
import { validateAuthSettings } from './http/auth-settings.js';
import { serveHttp } from './http/index.js';
import { createLogger } from './log.js';
import { createRuntimeFromConfig, type ServerRuntime } from './runtime.js';

export interface RunCliOptions {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

/**
 * Serves one session on stdin/stdout; returns how to stop it (after in-flight calls finish),
 * which resolves false when calls had to be aborted.
 */
async function serveStdio(runtime: ServerRuntime): Promise<() => Promise<boolean>> {
  const server = await runtime.connect(new StdioServerTransport(), 'stdio');
  runtime.log.info('serving on stdio', { tools: runtime.catalog.length, read_only: !runtime.settings.allowWrite });
  return async () => {
    const drained = await runtime.drain(runtime.settings.shutdownTimeoutMs);
    await server.close();
    return drained;
  };
}

/**
 * The whole CLI of a server: flags, env and config file; --help, --version, --print-config and
 * --check; then the chosen transport until SIGTERM/SIGINT (or stdin closing, on stdio).
 * `bin.ts` of every server is one call to this.
 */
export async function runCli(definition: AnyServerDefinition, options: RunCliOptions = {}): Promise<void> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const err = (text: string) => process.stderr.write(`${text}\n`);
  let runtime: ServerRuntime | undefined;
  try {
    const config = await resolveConfig(definition, {
      argv: options.argv ?? process.argv.slice(2),
      env: options.env ?? process.env,
      cwd: options.cwd ?? process.cwd(),
    });
    if (config.actions.help) {
      out(helpText(definition));
      return;
    }
    if (config.actions.version) {
      out(definition.version);
      return;
    }
    if (config.actions.printConfig) {
      definition.validate?.(config.settings);
      validateAuthSettings(definition, config.settings);
      out(JSON.stringify(printableConfig(config), null, 2));
      return;
    }
    const log = createLogger({
      level: config.settings.logLevel,
      secrets: secretValues(config),
      fields: { service: `opsmcp-${definition.name}` },
    });
    const started = await createRuntimeFromConfig(definition, config, log);
    runtime = started;

    if (config.actions.check) {
      // The auth settings first: a server whose tokens cannot be checked serves nobody.
      let authOk = true;
      if (started.settings.auth.includes('oauth')) {
        const { checkOAuthSettings } = await import('./http/auth.js');
        const result = await checkOAuthSettings(started.settings, log);
        for (const line of result.lines) out(line);
        authOk = result.ok;
      }
      if (!definition.check) {
        err(`${definition.name} has no connectivity check.`);
        process.exitCode = 1;
      } else {
        const result = (await started.runCheck()) ?? { ok: false, lines: [] };
        for (const line of result.lines) out(line);
        process.exitCode = result.ok && authOk ? 0 : 1;
      }
      await started.close();
      return;
    }

    const stdio = started.settings.transport === 'stdio';
    const stop = stdio ? await serveStdio(started) : (await serveHttp(started)).close;

    let stopping = false;
    const shutdown = async (reason: string) => {
      if (stopping) return;
      stopping = true;
      started.log.info('shutting down', { reason });
      // A supervisor should know when calls were cut short: exit 1 then.
      let clean = false;
      try {
        clean = await stop();
        await started.close();
      } finally {
        process.exit(clean ? 0 : 1);
      }
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
    // On stdio the client owns our lifetime: when it closes stdin we are done.
    if (stdio) process.stdin.once('end', () => void shutdown('stdin closed'));
  } catch (error) {
    await runtime?.close().catch(() => {});
    if (error instanceof ConfigError) {
      err(`opsmcp-${definition.name}: ${error.message}`);
    } else {
      err(`opsmcp-${definition.name}: failed to start: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 1;
  }
}

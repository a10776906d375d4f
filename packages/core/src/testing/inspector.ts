import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { TEST_ENV } from './clients.js';

/**
 * Where the MCP Inspector CLI is: `@modelcontextprotocol/inspector`, installed beside the
 * workspace (a devDependency of whoever runs the smoke tests).
 */
export function inspectorCliPath(): string {
  return createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector/cli/build/cli.js');
}

/**
 * Runs `mcp-inspector --cli node <bin> <args…>` the way a user debugging their setup would, and
 * returns the JSON it prints. The child sees only PATH, HOME and TEST_ENV: no settings of the
 * machine running the tests leak into the server.
 */
export function runInspectorCli(
  bin: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<unknown> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...TEST_ENV };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [inspectorCliPath(), '--cli', process.execPath, bin, ...args],
      { env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024, ...(options.cwd ? { cwd: options.cwd } : {}) },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`inspector failed: ${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new Error(`inspector printed no JSON:\n${stdout}\nstderr: ${stderr}`));
        }
      },
    );
  });
}

/**
 * Smoke test with a real client: the MCP Inspector CLI drives the built bin over stdio, as a user
 * checking their setup would (`npx @modelcontextprotocol/inspector --cli node dist/bin.js …`).
 * Needs `dist/bin.js` (tests run after the build).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { starRocksTools } from '../src/server.js';

const root = join(import.meta.dirname, '../../..');
const inspectorCli = join(root, 'node_modules/@modelcontextprotocol/inspector/cli/build/cli.js');
const bin = join(import.meta.dirname, '../dist/bin.js');

// Only what node needs, so no SR_* / STARROCKS_* settings of the machine running the tests leak in.
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  AWS_EC2_METADATA_DISABLED: 'true',
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface ListedTool {
  name: string;
  inputSchema: { type: string };
  annotations?: { readOnlyHint?: boolean };
}

/** Runs the Inspector CLI against the bin and parses the JSON it prints. */
function inspect(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [inspectorCli, '--cli', process.execPath, bin, ...args],
      { env, cwd: root, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
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

describe('the built bin under the MCP Inspector CLI', () => {
  it('finds the Inspector and the built bin', () => {
    expect(existsSync(inspectorCli), `${inspectorCli} (root devDependency @modelcontextprotocol/inspector)`).toBe(true);
    expect(existsSync(bin), `${bin}: build the package first`).toBe(true);
  });

  it('tools/list over --sandbox lists every diagnostic tool, read-only', async () => {
    const listed = (await inspect(['--sandbox', '--method', 'tools/list'])) as { tools: ListedTool[] };
    const names = listed.tools.map((tool) => tool.name);
    for (const name of ['analyze_system_comprehensive', 'analyze_storage_health', 'get_disk_usage', 'read_query']) {
      expect(names).toContain(name);
    }
    expect(names.sort()).toEqual(starRocksTools.map((tool) => tool.name).sort());
    for (const tool of listed.tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    }
  }, 40_000);

  it('tools/call get_disk_usage answers from the simulated cluster of --sandbox', async () => {
    const result = (await inspect(['--sandbox', '--method', 'tools/call', '--tool-name', 'get_disk_usage'])) as {
      isError?: boolean;
      content: { type: string; text: string }[];
      structuredContent?: Record<string, unknown>;
    };
    expect(result.isError ?? false, result.content[0]?.text).toBe(false);
    expect(result.structuredContent).toBeDefined();
    expect(result.content[0]?.type).toBe('text');
  }, 40_000);
});

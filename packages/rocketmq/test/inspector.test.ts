/**
 * Smoke test with a real client: the MCP Inspector CLI drives the built bin over stdio, as a user
 * checking their setup would (`npx @modelcontextprotocol/inspector --cli node dist/bin.js …`).
 * Needs `dist/bin.js` (tests run after the build).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rocketmqTools } from '../src/tools/index.js';

const root = join(import.meta.dirname, '../../..');
const inspectorCli = join(root, 'node_modules/@modelcontextprotocol/inspector/cli/build/cli.js');
const bin = join(import.meta.dirname, '../dist/bin.js');

// Only what node needs, so no VOLCENGINE_* settings of the machine running the tests leak in.
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
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean };
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

const readTools = rocketmqTools.filter((tool) => tool.access === 'read').map((tool) => tool.name);
const writeTools = rocketmqTools.filter((tool) => tool.access !== 'read').map((tool) => tool.name);

describe('the built bin under the MCP Inspector CLI', () => {
  it('finds the Inspector and the built bin', () => {
    expect(existsSync(inspectorCli), `${inspectorCli} (root devDependency @modelcontextprotocol/inspector)`).toBe(true);
    expect(existsSync(bin), `${bin}: build the package first`).toBe(true);
  });

  it('tools/list over --sandbox lists the read tools, read-only, and hides the write tools', async () => {
    const listed = (await inspect(['--sandbox', '--method', 'tools/list'])) as { tools: ListedTool[] };
    const names = listed.tools.map((tool) => tool.name);
    expect(names).toContain('DescribeRegions');
    expect(names).toContain('InspectionOverview');
    expect(names.sort()).toEqual([...readTools].sort());
    for (const tool of listed.tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    }
    for (const name of writeTools) expect(names).not.toContain(name);
  }, 40_000);

  it('tools/list with --allow-write lists the write tools as well', async () => {
    const listed = (await inspect(['--sandbox', '--allow-write', '--method', 'tools/list'])) as { tools: ListedTool[] };
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual(rocketmqTools.map((tool) => tool.name).sort());
    expect(writeTools.length).toBeGreaterThan(0);
  }, 40_000);

  it('tools/call DescribeRegions answers from the sandbox', async () => {
    const result = (await inspect(['--sandbox', '--method', 'tools/call', '--tool-name', 'DescribeRegions'])) as {
      isError?: boolean;
      structuredContent?: { Regions: { RegionId?: string }[] };
    };
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent?.Regions.length).toBeGreaterThan(0);
    expect(result.structuredContent?.Regions.map((region) => region.RegionId)).toContain('cn-beijing');
  }, 40_000);
});

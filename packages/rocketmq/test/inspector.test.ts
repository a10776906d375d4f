/**
 * Smoke test with a real client: the MCP Inspector CLI drives the built bin over stdio, as a user
 * checking their setup would (`npx @modelcontextprotocol/inspector --cli node dist/bin.js …`).
 * Needs `dist/bin.js` (tests run after the build).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inspectorCliPath, runInspectorCli } from '@opsmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { rocketmqTools } from '../src/tools/index.js';

const bin = join(import.meta.dirname, '../dist/bin.js');
const inspect = (args: string[]) => runInspectorCli(bin, args);

interface ListedTool {
  name: string;
  inputSchema: { type: string };
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean };
}

const readTools = rocketmqTools.filter((tool) => tool.access === 'read').map((tool) => tool.name);
const writeTools = rocketmqTools.filter((tool) => tool.access !== 'read').map((tool) => tool.name);

describe('the built bin under the MCP Inspector CLI', () => {
  it('finds the Inspector and the built bin', () => {
    expect(existsSync(inspectorCliPath()), 'root devDependency @modelcontextprotocol/inspector').toBe(true);
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

/**
 * Smoke test with a real client: the MCP Inspector CLI drives the built bin over stdio, as a user
 * checking their setup would (`npx @modelcontextprotocol/inspector --cli node dist/bin.js …`).
 * Needs `dist/bin.js` (tests run after the build).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inspectorCliPath, runInspectorCli } from '@opsmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { starRocksTools } from '../src/server.js';

const bin = join(import.meta.dirname, '../dist/bin.js');
const inspect = (args: string[]) => runInspectorCli(bin, args);

interface ListedTool {
  name: string;
  inputSchema: { type: string };
  annotations?: { readOnlyHint?: boolean };
}

describe('the built bin under the MCP Inspector CLI', () => {
  it('finds the Inspector and the built bin', () => {
    expect(existsSync(inspectorCliPath()), 'root devDependency @modelcontextprotocol/inspector').toBe(true);
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

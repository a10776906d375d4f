/**
 * Smoke test with a real client: the MCP Inspector CLI drives the built bin over stdio, as a user
 * checking their setup would (`npx @modelcontextprotocol/inspector --cli node dist/bin.js …`).
 * Needs `dist/bin.js` (tests run after the build).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inspectorCliPath, runInspectorCli } from '@opsmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { multicloudTools } from '../src/tools/index.js';
import './cloud-helpers.js';

const bin = join(import.meta.dirname, '../dist/bin.js');
const inspect = (args: string[]) => runInspectorCli(bin, args);

interface ListedTool {
  name: string;
  inputSchema: { type: string };
  annotations?: { readOnlyHint?: boolean };
}

const readTools = multicloudTools.filter((tool) => tool.access === 'read').map((tool) => tool.name);
const writeTools = multicloudTools.filter((tool) => tool.access !== 'read').map((tool) => tool.name);

describe('the built bin under the MCP Inspector CLI', () => {
  it('finds the Inspector and the built bin', () => {
    expect(existsSync(inspectorCliPath()), 'root devDependency @modelcontextprotocol/inspector').toBe(true);
    expect(existsSync(bin), `${bin}: build the package first`).toBe(true);
  });

  it('tools/list over --sandbox lists the read tools, read-only, and hides the power tools', async () => {
    const listed = (await inspect(['--sandbox', '--method', 'tools/list'])) as { tools: ListedTool[] };
    const names = listed.tools.map((tool) => tool.name);
    expect(names.sort()).toEqual([...readTools].sort());
    for (const tool of listed.tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    }
    for (const name of writeTools) expect(names).not.toContain(name);
  }, 40_000);

  it('tools/list with --allow-write lists the power tools as well', async () => {
    const listed = (await inspect(['--sandbox', '--allow-write', '--method', 'tools/list'])) as { tools: ListedTool[] };
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual(multicloudTools.map((tool) => tool.name).sort());
  }, 40_000);

  it('tools/call get_instance_info finds a sandbox instance by IP', async () => {
    const result = (await inspect([
      '--sandbox',
      '--method',
      'tools/call',
      '--tool-name',
      'get_instance_info',
      '--tool-arg',
      'ip_address=203.0.113.40',
    ])) as { isError?: boolean; structuredContent?: { provider?: string; instance?: { name?: string } } };
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toMatchObject({ provider: 'alibaba', instance: { name: 'order-prod-01' } });
  }, 40_000);
});

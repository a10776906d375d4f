import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineServer, readToolListings, toolListings } from '../src/index.js';
import { connectInMemory } from '../src/testing/index.js';
import { testServer } from './fixtures/test-server.js';

describe('tool listings written by the build', () => {
  it('are the schemas the runtime derives from the zod schemas', async () => {
    const written = toolListings(testServer);
    const conn = await connectInMemory(testServer, { settings: { allowWrite: true, confirmElicitationOnly: true } });
    try {
      const { tools } = await conn.client.listTools();
      expect(Object.keys(written).sort()).toEqual(tools.map((t) => t.name).sort());
      for (const tool of tools) {
        expect(written[tool.name]?.inputSchema, tool.name).toEqual(tool.inputSchema);
        expect(written[tool.name]?.outputSchema, tool.name).toEqual(tool.outputSchema);
      }
    } finally {
      await conn.close();
    }
  });

  it('are what a server lists when its definition provides them', async () => {
    const inputSchema = {
      type: 'object' as const,
      properties: { message: { type: 'string', description: 'precomputed' } },
    };
    const outputSchema = { type: 'object' as const, properties: { text: { type: 'string' } } };
    const server = defineServer({ ...testServer, listings: () => ({ echo: { inputSchema, outputSchema } }) });
    const conn = await connectInMemory(server);
    try {
      const echo = (await conn.client.listTools()).tools.find((t) => t.name === 'echo');
      expect(echo?.inputSchema).toEqual(inputSchema);
      expect(echo?.outputSchema).toEqual(outputSchema);
    } finally {
      await conn.close();
    }
  });

  it('are read next to a built module, and absent from sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsmcp-listings-'));
    writeFileSync(join(dir, 'tool-listings.json'), JSON.stringify(toolListings(testServer)));
    expect(readToolListings(pathToFileURL(join(dir, 'chunk.js')).href)).toEqual(toolListings(testServer));
    expect(readToolListings(pathToFileURL(join(tmpdir(), 'no-such-dir', 'x.js')).href)).toBeUndefined();
  });
});

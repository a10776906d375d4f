// The one-tool McpServer every baseline serves, written the way the SDK documentation shows.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from './zod.mjs';

export function createEchoServer() {
  const server = new McpServer({ name: 'baseline-echo', version: '1.0.0' });
  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Echoes the message back.',
      inputSchema: { message: z.string() },
      outputSchema: { text: z.string() },
    },
    async ({ message }) => {
      const output = { text: message };
      return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output };
    },
  );
  return server;
}

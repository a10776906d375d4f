// The minimal MCP server every figure is compared with: the SDK's McpServer on stdio with one
// tool, written the way the SDK documentation shows.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from './zod.mjs';

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

await server.connect(new StdioServerTransport());

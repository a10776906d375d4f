// The minimal MCP server every figure is compared with: the SDK's McpServer on stdio with one
// tool, written the way the SDK documentation shows.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createEchoServer } from './echo-server.mjs';

const server = createEchoServer();

await server.connect(new StdioServerTransport());

// The minimal stateless Streamable HTTP server, as in the SDK's simpleStatelessStreamableHttp
// example: a new McpServer and transport for every POST. Prints the same "listening" JSON line
// on stderr as the opsmcp servers, so the benchmark starts both the same way.
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createEchoServer } from './echo-server.mjs';

const app = createMcpExpressApp();

app.post('/mcp', async (req, res) => {
  const server = createEchoServer();
  try {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    res.on('close', () => {
      transport.close();
      server.close();
    });
  } catch {
    if (!res.headersSent) {
      res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
    }
  }
});

app.get('/health', (_req, res) => res.json({ status: 'ok' }));

const listener = app.listen(0, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${listener.address().port}/mcp`;
  process.stderr.write(`${JSON.stringify({ msg: 'listening', url })}\n`);
});
process.on('SIGTERM', () => process.exit(0));

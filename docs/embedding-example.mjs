// Runs opsmcp servers inside your own Node.js process and calls a tool through an in-memory
// MCP client: no child process, no stdio. Each server here runs against its built-in sandbox
// (simulated data), so the example needs no cloud account.
//
//   npm install @opsmcp/rocketmq @opsmcp/core @modelcontextprotocol/sdk
//   node embedding-example.mjs @opsmcp/rocketmq [@opsmcp/starrocks …]

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createServer } from '@opsmcp/core';

const packageNames = process.argv.length > 2 ? process.argv.slice(2) : ['@opsmcp/rocketmq'];

for (const packageName of packageNames) {
  // Every server package exports its definition (rocketmqServer, starRocksServer, …): the object
  // whose packageName is the package's own.
  const serverPackage = await import(packageName);
  const definition = Object.values(serverPackage).find((value) => value?.packageName === packageName);
  if (!definition) throw new Error(`${packageName} exports no server definition`);

  // Settings are passed in, not read from process.env: the embedding application decides what
  // the server sees. For a real backend pass its settings (credentials, endpoint) instead of sandbox.
  const runtime = await createServer(definition, { settings: { sandbox: true } });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await runtime.connect(serverSide);

  const client = new Client({ name: 'embedding-example', version: '1.0.0' });
  await client.connect(clientSide);
  const { tools } = await client.listTools();
  // A read-only tool that needs no arguments; with your own data you would pick the tool you need.
  const tool = tools.find((t) => t.annotations?.readOnlyHint && (t.inputSchema.required ?? []).length === 0);
  if (!tool) throw new Error(`${packageName} has no read-only tool without required arguments`);
  const result = await client.callTool({ name: tool.name, arguments: {} });
  if (result.isError) throw new Error(`${tool.name} failed: ${JSON.stringify(result.content)}`);

  const size = JSON.stringify(result.structuredContent ?? {}).length;
  process.stdout.write(`${packageName}: ${tools.length} tools; ${tool.name} answered ${size} bytes\n`);
  await client.close();
  await runtime.close();
}

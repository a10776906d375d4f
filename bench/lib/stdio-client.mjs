// A bare JSON-RPC client over a child's stdin/stdout (newline-delimited, as MCP stdio is). It
// adds next to nothing to a round trip, so what is timed is the server.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const PROTOCOL_VERSION = '2025-06-18';

export function startStdio(command, args, { env, cwd } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map();
  let nextId = 1;
  let buffer = '';
  let stderr = '';
  let exited = false;

  const failAll = (error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (!line) continue;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        failAll(new Error(`not a JSON-RPC frame on stdout: ${line.slice(0, 200)}`));
        continue;
      }
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter) continue;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    // Keep the tail only: a server logs a line per call and a long run must not grow this.
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      failAll(new Error(`server exited (code ${code}, signal ${signal}): ${stderr.slice(-2000)}`));
      resolve({ code, signal });
    });
  });
  child.on('error', (error) => failAll(error));
  child.stdin.on('error', () => {});

  const send = (message) => child.stdin.write(`${JSON.stringify(message)}\n`);

  return {
    child,
    pid: child.pid,
    stderr: () => stderr,
    request(method, params = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ jsonrpc: '2.0', id, method, params });
      });
    },
    notify(method, params = {}) {
      send({ jsonrpc: '2.0', method, params });
    },
    async initialize() {
      const result = await this.request('initialize', {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'opsmcp-bench', version: '1.0.0' },
      });
      this.notify('notifications/initialized');
      return result;
    },
    /** Closes stdin (how an MCP client ends a stdio server) and kills it if it lingers. */
    async close(graceMs = 3000) {
      if (exited) return exit;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Resident set size of a live process in bytes (Linux /proc), or null elsewhere. */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

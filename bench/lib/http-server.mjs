// Starts an HTTP MCP server as a child process and waits for the JSON line on stderr that
// carries its URL (opsmcp servers and the baselines print the same line).
import { spawn } from 'node:child_process';

const URL_PATTERN = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/mcp"/;

export function startHttpServer(command, args, { env, timeoutMs = 30_000, onStderrLine } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let partial = '';
    let ready = false;
    const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL on stderr within ${timeoutMs} ms: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (!ready) stderr = (stderr + chunk).slice(-20_000);
      partial += chunk;
      let newline = partial.indexOf('\n');
      while (newline !== -1) {
        const line = partial.slice(0, newline);
        partial = partial.slice(newline + 1);
        newline = partial.indexOf('\n');
        onStderrLine?.(line);
        const match = URL_PATTERN.exec(line);
        if (match && !ready) {
          ready = true;
          clearTimeout(timer);
          resolve({
            child,
            pid: child.pid,
            base: match[1],
            url: `${match[1]}/mcp`,
            stderr: () => stderr,
            async stop(graceMs = 5000) {
              if (child.exitCode !== null || child.signalCode !== null) return exited;
              child.kill('SIGTERM');
              const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
              const result = await exited;
              clearTimeout(kill);
              return result;
            },
          });
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`exited before listening (code ${code}, signal ${signal}): ${stderr.slice(-2000)}`));
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

import { callTool, type SpawnedServer } from './clients.js';

/** What code missing from a bundle throws, wherever it surfaces (a result or the server's log). */
export const MISSING_CODE =
  /Cannot find module|is not a function|is not a constructor|Cannot read properties of undefined/;

/** One tool's call in an every-tool run: arguments the backend answers, and a refusal it answers on purpose. */
export interface PlannedToolCall {
  args: Record<string, unknown>;
  /** The error code the backend answers with on purpose, and why; absent: the call must succeed. */
  refusal?: { code: string; why: string };
}

/**
 * Calls every planned tool the spawned server lists, in the plan's order, and returns what went
 * wrong, one line per tool: a call the client rejected (including a result that does not match
 * the listed output schema), an INTERNAL error, code missing from the bundle, an unexpected
 * error or refusal. Empty when every call did what the plan says.
 */
export async function callEveryTool(
  server: SpawnedServer,
  plan: Readonly<Record<string, PlannedToolCall>>,
  options: { timeoutMs?: number } = {},
): Promise<string[]> {
  const listed = new Set((await server.client.listTools()).tools.map((tool) => tool.name));
  const failures: string[] = [];
  for (const [name, call] of Object.entries(plan)) {
    if (!listed.has(name)) continue;
    const outcome = await callTool(server.client, name, call.args, { timeout: options.timeoutMs ?? 30_000 }).catch(
      (error: Error) => error,
    );
    if (outcome instanceof Error) {
      failures.push(`${name}: ${outcome.message.slice(0, 500)}`);
      continue;
    }
    const code = outcome.isError ? /^([A-Z_]+):/.exec(outcome.text)?.[1] : undefined;
    if (MISSING_CODE.test(outcome.text) || code === 'INTERNAL') failures.push(`${name}: ${outcome.text}`);
    else if (call.refusal && code !== call.refusal.code) {
      failures.push(`${name}: expected ${call.refusal.code}, got ${outcome.isError ? outcome.text : 'a success'}`);
    } else if (!call.refusal && outcome.isError) failures.push(`${name}: ${outcome.text}`);
  }
  if (MISSING_CODE.test(server.stderr())) failures.push(`server log: ${MISSING_CODE.exec(server.stderr())?.[0]}`);
  return failures;
}

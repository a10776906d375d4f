import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool } from './clients.js';

/**
 * Calls every tool the client lists, with the arguments given for it, and throws when any
 * result — text, structured content or error — contains one of the secrets. A listed tool
 * without arguments here is an error too, so a new tool cannot slip past the sweep.
 */
export async function expectToolOutputsFreeOf(
  client: Client,
  calls: Readonly<Record<string, Record<string, unknown>>>,
  secrets: readonly string[],
): Promise<{ called: string[] }> {
  const listed = (await client.listTools()).tools.map((t) => t.name);
  const unlisted = listed.filter((name) => !(name in calls));
  if (unlisted.length > 0) throw new Error(`no arguments given for tool(s): ${unlisted.join(', ')}`);
  const usable = secrets.filter((s) => s.length >= 6);
  if (usable.length === 0) throw new Error('no secret to look for (each must be at least 6 characters)');
  const leaks: string[] = [];
  for (const name of listed) {
    const out = await callTool(client, name, calls[name]);
    const everything = JSON.stringify(out.result);
    for (const secret of usable) if (everything.includes(secret)) leaks.push(`${name} returned a secret`);
  }
  if (leaks.length > 0) throw new Error(leaks.join('\n'));
  return { called: listed };
}

import type { AnyServerDefinition } from '../definition.js';
import { createLogger } from '../log.js';
import { createServer } from '../runtime.js';
import type { Access } from '../tool.js';
import { TEST_ENV } from './clients.js';

export interface ToolTableRow {
  name: string;
  access: Access;
  idempotent?: boolean;
}

/**
 * Checks a package's tools against its table: the same names, the declared access, the four
 * annotations derived from it, input and output schemas, and the write gate (only read tools by
 * default, every tool with allowWrite). Throws an Error listing every mismatch.
 */
export async function expectToolTable(
  definition: AnyServerDefinition,
  table: readonly ToolTableRow[],
  settings: Record<string, unknown> = {},
): Promise<void> {
  const problems: string[] = [];
  const declared = new Map(definition.tools.map((t) => [t.name, t]));
  const rows = new Map(table.map((r) => [r.name, r]));
  for (const name of declared.keys()) if (!rows.has(name)) problems.push(`${name}: tool missing from the table`);
  for (const name of rows.keys()) if (!declared.has(name)) problems.push(`${name}: in the table but not a tool`);

  const logger = createLogger({ level: 'error', json: true, write: () => {} });
  const open = await createServer(definition, { settings: { ...settings, allowWrite: true }, env: TEST_ENV, logger });
  const closed = await createServer(definition, {
    settings: { ...settings, allowWrite: false },
    env: TEST_ENV,
    logger,
  });
  try {
    const listed = new Map(open.catalog.map((e) => [e.tool.name, e.listing]));
    const readOnlyNames = new Set(closed.catalog.map((e) => e.tool.name));
    for (const row of table) {
      const tool = declared.get(row.name);
      const listing = listed.get(row.name);
      if (!tool || !listing) continue;
      if (tool.access !== row.access) problems.push(`${row.name}: access ${tool.access}, table says ${row.access}`);
      const wantIdempotent = row.access === 'read' ? true : (row.idempotent ?? false);
      const a = listing.annotations ?? {};
      const expected = {
        readOnlyHint: row.access === 'read',
        destructiveHint: row.access === 'destructive',
        idempotentHint: wantIdempotent,
      };
      for (const [key, value] of Object.entries(expected)) {
        if (a[key as keyof typeof a] !== value)
          problems.push(`${row.name}: ${key} is ${a[key as keyof typeof a]}, expected ${value}`);
      }
      if (typeof a.openWorldHint !== 'boolean') problems.push(`${row.name}: openWorldHint not set`);
      if (!a.title) problems.push(`${row.name}: no title annotation`);
      if (!tool.description || tool.description.length < 20) problems.push(`${row.name}: description too short`);
      if (listing.inputSchema.type !== 'object') problems.push(`${row.name}: input schema is not an object`);
      if (listing.outputSchema?.type !== 'object') problems.push(`${row.name}: no object output schema`);
      const visibleReadOnly = readOnlyNames.has(row.name);
      if (row.access === 'read' && !visibleReadOnly) problems.push(`${row.name}: read tool hidden without allowWrite`);
      if (row.access !== 'read' && visibleReadOnly)
        problems.push(`${row.name}: ${row.access} tool listed without allowWrite`);
    }
    if (!instructionsNameHiddenTools(closed.hiddenWriteTools, table, closed.instructions)) {
      problems.push('the read-only instructions do not name every hidden write tool');
    }
  } finally {
    await open.close();
    await closed.close();
  }
  if (problems.length > 0) throw new Error(`Tool table mismatch:\n  ${problems.join('\n  ')}`);
}

/** Read-only instructions must tell the model which tools exist behind --allow-write. */
function instructionsNameHiddenTools(
  hidden: readonly string[],
  table: readonly ToolTableRow[],
  instructions: string,
): boolean {
  const writes = table.filter((r) => r.access !== 'read').map((r) => r.name);
  if (writes.length === 0) return true;
  return (
    writes.every((name) => hidden.includes(name) && instructions.includes(name)) &&
    instructions.includes('--allow-write')
  );
}

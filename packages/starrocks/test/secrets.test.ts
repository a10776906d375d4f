import { connectInMemory, expectToolOutputsFreeOf } from '@opsmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { starRocksServer, starRocksTools } from '../src/index.js';

describe('secrets in the sandbox', () => {
  it("no tool's result carries the sandbox database password", async () => {
    const conn = await connectInMemory(starRocksServer, { settings: { sandbox: true } });
    try {
      const password = conn.runtime.settings.srPassword;
      expect(password).toBeTypeOf('string');
      const calls: Record<string, Record<string, unknown>> = Object.fromEntries(
        starRocksTools.map((t) => [t.name, {}]),
      );
      calls.check_load_job_status = { label: 'insert_2b1c' };
      calls.read_query = { sql: 'SELECT CURRENT_USER()' };
      const { called } = await expectToolOutputsFreeOf(conn.client, calls, [password as string]);
      expect(called.sort()).toEqual(starRocksTools.map((t) => t.name).sort());
    } finally {
      await conn.close();
    }
  }, 60_000);
});

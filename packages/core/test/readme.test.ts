import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectReadmeCoversServer } from '../src/testing/index.js';
import { testServer } from './fixtures/test-server.js';

describe('expectReadmeCoversServer', () => {
  it('passes when every tool, flag and env name is documented, and lists what is missing otherwise', () => {
    const core = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const complete = `${core}\n${testServer.tools.map((t) => t.name).join(' ')} --greeting TEST_GREETING LEGACY_GREETING --upstream-token TEST_UPSTREAM_TOKEN --header-credentials TEST_HEADER_CREDENTIALS`;
    expect(() => expectReadmeCoversServer(testServer, complete)).not.toThrow();
    const partial = complete.replace('LEGACY_GREETING', '').replace('purge_thing', '');
    expect(() => expectReadmeCoversServer(testServer, partial)).toThrow(/tool purge_thing[\s\S]*env LEGACY_GREETING/);
  });
});

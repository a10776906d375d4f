import { readFileSync } from 'node:fs';
import { expectReadmeCoversServer } from '@opsmcp/core/testing';
import { expect, it } from 'vitest';
import { multicloudServer as server } from '../src/server.js';

it('the README documents every tool, flag and env variable', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(() => expectReadmeCoversServer(server, readme)).not.toThrow();
});

import { type HttpTestServer, startHttp } from '@opsmcp/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeVolcengine } from '../src/sandbox/fake-volcengine.js';
import { rocketmqServer } from '../src/server.js';
import { INSTANCE_4X, settingsFor, startFake } from './helpers.js';

const KEY = 'rocketmq-rest-key-0123456789';

let fake: FakeVolcengine;
let http: HttpTestServer | undefined;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.stop();
});
afterEach(async () => {
  await http?.close();
  http = undefined;
});

async function rest(path: string, body?: unknown, key: string | null = KEY) {
  const response = await fetch(`${http?.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(key ? { 'x-api-key': key } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const actionsSent = () => fake.requests.map((r) => r.action);

describe('REST endpoints of the rocketmq server', () => {
  it('lists and calls read tools over GET /tools and POST /call-tool, behind the API key', async () => {
    http = await startHttp(rocketmqServer, { settings: { ...settingsFor(fake), apiKey: [KEY] } });
    expect((await rest('/tools', undefined, null)).status).toBe(401);
    const names = ((await rest('/tools')).body.tools as { name: string }[]).map((t) => t.name);
    expect(names).toContain('DescribeInstanceDetail');
    expect(names).not.toContain('EnableInstanceInspect');
    const called = await rest('/call-tool', { tool: 'DescribeInstanceDetail', arguments: { InstanceId: INSTANCE_4X } });
    expect(called.status).toBe(200);
    expect(called.body).toMatchObject({
      isError: false,
      structuredContent: { BasicInfo: { InstanceId: INSTANCE_4X } },
    });
    expect(fake.requests.at(-1)).toMatchObject({
      action: 'DescribeInstanceDetail',
      signature: expect.objectContaining({ ok: true }),
    });
  });

  it('keeps the write gate: WRITE_DISABLED when read-only, CONFIRMATION_REQUIRED under MCP_CONFIRM until confirm is given', async () => {
    http = await startHttp(rocketmqServer, { settings: { ...settingsFor(fake), apiKey: [KEY] } });
    const before = actionsSent().length;
    const refused = await rest('/call-tool', {
      tool: 'EnableInstanceInspect',
      arguments: { InstanceId: INSTANCE_4X, Enable: false },
    });
    expect(refused.body).toMatchObject({ isError: true, error_code: 'WRITE_DISABLED' });
    expect(actionsSent().length).toBe(before);
    await http.close();

    http = await startHttp(rocketmqServer, {
      settings: { ...settingsFor(fake), apiKey: [KEY], allowWrite: true, confirm: ['write'] },
    });
    const unconfirmed = await rest('/call-tool', {
      tool: 'EnableInstanceInspect',
      arguments: { InstanceId: INSTANCE_4X, Enable: false },
    });
    expect(unconfirmed.body).toMatchObject({ isError: true, error_code: 'CONFIRMATION_REQUIRED' });
    expect(actionsSent()).not.toContain('EnableInstanceInspect');
    const confirmed = await rest('/call-tool', {
      tool: 'EnableInstanceInspect',
      arguments: { InstanceId: INSTANCE_4X, Enable: false, confirm: true },
    });
    expect(confirmed.body).toMatchObject({ isError: false, structuredContent: { Enable: false } });
    expect(fake.requests.at(-1)).toMatchObject({
      action: 'EnableInstanceInspect',
      signature: expect.objectContaining({ ok: true }),
    });
  });
});

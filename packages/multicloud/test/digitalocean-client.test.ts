import { OpsError } from '@opsmcp/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeDigitalOcean } from '../src/sandbox/digitalocean-fake.js';
import {
  DO_TOKEN,
  DROPLET_GPU,
  DROPLET_NO_IP,
  DROPLET_OFF,
  DROPLET_PROD,
  DROPLET_REPLICA,
  doClient,
  rejection,
  startDo,
} from './rest-helpers.js';

let fake: FakeDigitalOcean;

beforeAll(async () => {
  // Two droplets per page, so four droplets take two pages.
  fake = await startDo({ pageSizeCap: 2 });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('DigitalOcean client: listing', () => {
  it('follows links.pages.next across pages, asks for 200 per page, and adds the GPU droplets', async () => {
    const { items, truncated, total } = await doClient(fake).listDroplets();
    expect(items.map((d) => d.id)).toEqual([DROPLET_PROD, DROPLET_OFF, DROPLET_REPLICA, DROPLET_NO_IP, DROPLET_GPU]);
    expect(truncated).toBe(false);
    expect(total).toBe(5);
    const lists = fake.requests.filter((r) => r.path === '/v2/droplets');
    expect(lists.map((r) => [r.query.type ?? '', r.query.page]).sort()).toEqual([
      ['', '1'],
      ['', '2'],
      ['gpus', '1'],
    ]);
    for (const r of lists) expect(r.query.per_page).toBe('200');
    for (const r of fake.requests) expect(r.headers.authorization).toBe(`Bearer ${DO_TOKEN}`);
  });

  it('stops a listing at maxItems and says more exist', async () => {
    const { items, truncated, total } = await doClient(fake).listAll('/droplets', 'droplets', {}, 3);
    expect(items).toHaveLength(3);
    expect(truncated).toBe(true);
    expect(total).toBe(4);
  });

  it('sends the token only to the configured base URL, whatever host the next link names', async () => {
    fake.failNext({
      match: /^GET \/v2\/droplets$/,
      status: 200,
      body: {
        droplets: [{ id: 1, name: 'a', status: 'active' }],
        links: { pages: { next: 'https://elsewhere.example/v2/droplets?page=2&per_page=200' } },
        meta: { total: 2 },
      },
    });
    const { items } = await doClient(fake).listAll('/droplets', 'droplets');
    // Page 2 came from the fake (its real data), not from elsewhere.example.
    expect(items.map((d) => (d as { id: number }).id)).toEqual([1, DROPLET_REPLICA, DROPLET_NO_IP]);
    expect(fake.requests.map((r) => r.query.page)).toEqual(['1', '2']);
  });
});

describe('DigitalOcean client: errors', () => {
  it('maps a wrong token to INVALID_CREDENTIALS without quoting the token', async () => {
    const error = await rejection(doClient(fake, { token: 'dop_v1_wrong_token_value' }).getDroplet(DROPLET_PROD));
    expect(error).toBeInstanceOf(OpsError);
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toContain('Unable to authenticate you');
    expect(error.message).not.toContain('dop_v1_wrong_token_value');
    expect(error.upstream).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('maps 404 not_found to RESOURCE_NOT_FOUND with the request id', async () => {
    const error = await rejection(doClient(fake).getDroplet(999));
    expect(error.code).toBe('RESOURCE_NOT_FOUND');
    expect(error.upstream).toMatchObject({ code: 'not_found', status: 404 });
    expect((error.upstream as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps 403 to PERMISSION_DENIED naming the token scopes', async () => {
    fake.failNext({ match: /^GET /, status: 403, body: { id: 'forbidden', message: 'You are not authorized.' } });
    const error = await rejection(doClient(fake).getDroplet(DROPLET_PROD));
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.hint).toContain('droplet:read');
  });

  it('maps 422 unprocessable_entity (a pending event) to OPERATION_NOT_SUPPORTED with the message', async () => {
    fake.failNext({
      match: /^POST \/v2\/droplets\/\d+\/actions$/,
      status: 422,
      body: { id: 'unprocessable_entity', message: 'Droplet already has a pending event.', request_id: 'rq-422' },
    });
    const error = await rejection(doClient(fake).postDropletAction(DROPLET_PROD, 'reboot'));
    expect(error.code).toBe('OPERATION_NOT_SUPPORTED');
    expect(error.message).toContain('Droplet already has a pending event.');
    expect(error.upstream).toMatchObject({ code: 'unprocessable_entity', status: 422 });
  });

  it('maps 429 to RATE_LIMITED after retrying a read, and never retries an action', async () => {
    fake.failNext({ match: /^GET /, status: 429, body: { id: 'too_many_requests', message: 'Slow down.' }, times: 2 });
    const error = await rejection(doClient(fake, { maxRetries: 1 }).getDroplet(DROPLET_PROD));
    expect(error.code).toBe('RATE_LIMITED');
    expect(fake.requests).toHaveLength(2);

    fake.requests.length = 0;
    fake.failNext({ match: /^POST /, status: 503, body: { id: 'service_unavailable', message: 'Try later.' } });
    const write = await rejection(doClient(fake, { maxRetries: 2 }).postDropletAction(DROPLET_PROD, 'reboot'));
    expect(write.code).toBe('UPSTREAM_ERROR');
    expect(write.message).toContain('outcome is unknown');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('DigitalOcean client: actions and reserved IPs', () => {
  it('posts {type} and gets 201 with an in-progress action that completes later', async () => {
    const client = doClient(fake);
    const { action } = await client.postDropletAction(DROPLET_PROD, 'reboot');
    expect(action).toMatchObject({ type: 'reboot', status: 'in-progress', resource_id: DROPLET_PROD });
    const post = fake.requests.find((r) => r.method === 'POST');
    expect(JSON.parse(post?.body ?? '')).toEqual({ type: 'reboot' });
    expect(post?.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await client.getAction(action.id)).status).toBe('completed');
  });

  it('resolves a reserved IP to its droplet, and an unknown one to null', async () => {
    const client = doClient(fake);
    expect((await client.getReservedIp('198.51.100.50'))?.droplet?.id).toBe(DROPLET_REPLICA);
    expect(await client.getReservedIp('198.51.100.99')).toBeNull();
  });
});

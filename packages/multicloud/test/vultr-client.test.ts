import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeVultr } from '../src/sandbox/vultr-fake.js';
import {
  rejection,
  startVultr,
  VULTR_KEY,
  VULTR_NO_IP,
  VULTR_PROD,
  VULTR_STOPPED,
  VULTR_VPN,
  vultrClient,
} from './rest-helpers.js';

let fake: FakeVultr;

beforeAll(async () => {
  // Two instances per page, so the four take two pages.
  fake = await startVultr({ pageSizeCap: 2 });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('Vultr client', () => {
  it('follows the meta.links.next cursor to the end, asking for 500 per page', async () => {
    const { items, truncated, total } = await vultrClient(fake).listInstances();
    expect(items.map((i) => i.id)).toEqual([VULTR_PROD, VULTR_STOPPED, VULTR_VPN, VULTR_NO_IP]);
    expect(truncated).toBe(false);
    expect(total).toBe(4);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]?.query).toEqual({ per_page: '500' });
    expect(fake.requests[1]?.query.cursor).toBeTruthy();
    for (const r of fake.requests) expect(r.headers.authorization).toBe(`Bearer ${VULTR_KEY}`);
  });

  it('stops when the upstream repeats a cursor', async () => {
    const page = {
      instances: [{ id: VULTR_PROD, label: 'x', status: 'active' }],
      meta: { total: 9, links: { next: 'c2FtZQ==', prev: '' } },
    };
    fake.failNext({ match: /^GET \/v2\/instances$/, status: 200, body: page, times: 3 });
    const { items } = await vultrClient(fake).listInstances();
    expect(fake.requests).toHaveLength(2);
    expect(items).toHaveLength(2);
  });

  it('filters by main_ip on the server side', async () => {
    const { items } = await vultrClient(fake).listInstances({ main_ip: '192.0.2.31' });
    expect(items.map((i) => i.id)).toEqual([VULTR_STOPPED]);
    expect(fake.requests[0]?.query.main_ip).toBe('192.0.2.31');
  });

  it('powers through /start, /halt and /reboot (204, no body) and the state follows', async () => {
    const client = vultrClient(fake);
    await client.power(VULTR_STOPPED, 'start');
    expect(fake.instance(VULTR_STOPPED)?.power_status).toBe('running');
    await client.power(VULTR_STOPPED, 'halt');
    expect(fake.instance(VULTR_STOPPED)?.power_status).toBe('stopped');
    await client.power(VULTR_PROD, 'reboot');
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST /v2/instances/${VULTR_STOPPED}/start 204`,
      `POST /v2/instances/${VULTR_STOPPED}/halt 204`,
      `POST /v2/instances/${VULTR_PROD}/reboot 204`,
    ]);
  });

  it('maps {error, status}: 401 to INVALID_CREDENTIALS (naming the access list), 404 to RESOURCE_NOT_FOUND', async () => {
    const denied = await rejection(vultrClient(fake, { apiKey: 'WRONGKEY123' }).getInstance(VULTR_PROD));
    expect(denied.code).toBe('INVALID_CREDENTIALS');
    expect(denied.message).toContain('Invalid API token.');
    expect(denied.hint).toContain('access control list');
    expect(denied.message).not.toContain('WRONGKEY123');

    const missing = await rejection(vultrClient(fake).getInstance('00000000-0000-4000-8000-000000000000'));
    expect(missing.code).toBe('RESOURCE_NOT_FOUND');
    expect(missing.message).toContain('Invalid instance-id.');
  });

  it('reads the daily bandwidth map', async () => {
    const bandwidth = await vultrClient(fake).getBandwidth(VULTR_PROD);
    expect(Object.keys(bandwidth)).toEqual(['2024-03-06', '2024-03-07', '2024-03-08']);
    expect(bandwidth['2024-03-06']).toEqual({ incoming_bytes: 734003200, outgoing_bytes: 1288490188 });
  });
});

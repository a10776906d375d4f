import { callTool, connectInMemory, type InMemoryConnection } from '@opsmcp/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeVultr } from '../src/sandbox/vultr-fake.js';
import { multicloudServer } from '../src/server.js';
import { startVultr, VULTR_KEY, VULTR_NO_IP, VULTR_PROD, VULTR_STOPPED, VULTR_VPN } from './rest-helpers.js';

let fake: FakeVultr;
let conn: InMemoryConnection;
const seen: string[] = [];

const settingsFor = (url: string, extra: Record<string, unknown> = {}) => ({
  vultrApiKey: VULTR_KEY,
  vultrApiUrl: `${url}/v2`,
  ipinfoApiUrl: 'http://127.0.0.1:1',
  allowWrite: true,
  maxRetries: 0,
  ...extra,
});

beforeAll(async () => {
  // Two instances per page: every listing follows the cursor.
  fake = await startVultr({ pageSizeCap: 2 });
  conn = await connectInMemory(multicloudServer, { settings: settingsFor(fake.url) });
});
afterAll(async () => {
  await conn.close();
  await fake.stop();
});
beforeEach(() => fake.reset());

async function call(name: string, args: Record<string, unknown> = {}, connection = conn) {
  const out = await callTool(connection.client, name, args);
  seen.push(out.text, JSON.stringify(out.structured ?? {}));
  return out;
}

async function expectBadInput(name: string, args: Record<string, unknown>, mention: string) {
  const out = await call(name, args);
  expect(out.isError).toBe(true);
  expect(out.text).toMatch(/^INVALID_ARGUMENT/);
  expect(out.text).toContain(mention);
  expect(fake.requests).toHaveLength(0);
}

const posts = () => fake.requests.filter((r) => r.method === 'POST');

describe('get_vultr_instance_info', () => {
  it('finds an instance by id, with the power state from power_status', async () => {
    const out = await call('get_vultr_instance_info', { ip_address_or_id: VULTR_STOPPED.toUpperCase() });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      matchedBy: 'id',
      instance: {
        id: VULTR_STOPPED,
        label: 'ci-runner',
        status: 'active',
        powerStatus: 'stopped',
        running: false,
        mainIp: '192.0.2.31',
        plan: 'vhf-1c-2gb',
      },
    });
  });

  it('finds an instance by IPv4 with the main_ip filter', async () => {
    const out = await call('get_vultr_instance_info', { ip_address_or_id: '192.0.2.32' });
    expect(out.structured).toMatchObject({ matchedBy: 'main_ip', instance: { id: VULTR_VPN, label: 'vpn-gw' } });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.query).toMatchObject({ main_ip: '192.0.2.32', per_page: '500' });
  });

  it('finds an instance by IPv6 by reading every page', async () => {
    const out = await call('get_vultr_instance_info', { ip_address_or_id: '2001:0db8:0020:0001:0000:0000:0000:0030' });
    expect(out.structured).toMatchObject({ matchedBy: 'v6_main_ip', instance: { id: VULTR_PROD } });
    expect(fake.requests).toHaveLength(2);
  });

  it('answers RESOURCE_NOT_FOUND for an address no instance has', async () => {
    const out = await call('get_vultr_instance_info', { ip_address_or_id: '192.0.2.99' });
    expect(out.text).toMatch(/^RESOURCE_NOT_FOUND: No Vultr instance of this account has the main IP 192\.0\.2\.99/);
  });

  it("maps an unknown id to RESOURCE_NOT_FOUND with Vultr's message", async () => {
    const out = await call('get_vultr_instance_info', { ip_address_or_id: '00000000-0000-4000-8000-000000000000' });
    expect(out.text).toMatch(/^RESOURCE_NOT_FOUND: .*Invalid instance-id\./);
  });

  it('refuses an identifier that is neither a UUID nor an IP, sending nothing', async () => {
    await expectBadInput('get_vultr_instance_info', { ip_address_or_id: 'shop-prod' }, 'neither a Vultr instance id');
  });
});

describe('list_vultr_instances', () => {
  it('lists every instance across cursor pages', async () => {
    const out = await call('list_vultr_instances');
    expect(out.isError, out.text).toBe(false);
    const instances = out.structured?.instances as Array<{ label: string; mainIp: string | null }>;
    expect(instances.map((i) => i.label)).toEqual(['shop-prod', 'ci-runner', 'vpn-gw', 'vpc-worker']);
    expect(instances[3]?.mainIp).toBeNull();
    expect(out.structured).toMatchObject({ count: 4, truncated: false });
    expect(fake.requests).toHaveLength(2);
  });

  it('answers INVALID_CREDENTIALS, naming the access list, when Vultr rejects the key', async () => {
    const wrong = await connectInMemory(multicloudServer, {
      settings: settingsFor(fake.url, { vultrApiKey: 'WRONG-VULTR-KEY-000' }),
    });
    try {
      const out = await call('list_vultr_instances', {}, wrong);
      expect(out.text).toMatch(
        /^INVALID_CREDENTIALS: Vultr refused GET \/v2\/instances \(HTTP 401\): Invalid API token\./,
      );
      expect(out.text).toContain('access control list');
      expect(out.text).not.toContain('WRONG-VULTR-KEY-000');
    } finally {
      await wrong.close();
    }
  });
});

describe('get_vultr_instance_bandwidth', () => {
  it('returns the days sorted with totals', async () => {
    const out = await call('get_vultr_instance_bandwidth', { instance_id: VULTR_PROD });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      instanceId: VULTR_PROD,
      dayCount: 3,
      totals: { incomingBytes: 734003200 + 698351616 + 120586240, outgoingBytes: 1288490188 + 1503238553 + 241172480 },
    });
    const days = out.structured?.days as Array<{ date: string; incomingGiB: number }>;
    expect(days.map((d) => d.date)).toEqual(['2024-03-06', '2024-03-07', '2024-03-08']);
    expect(days[0]?.incomingGiB).toBe(0.684);
  });

  it('maps an unknown instance to RESOURCE_NOT_FOUND', async () => {
    const out = await call('get_vultr_instance_bandwidth', { instance_id: '00000000-0000-4000-8000-000000000000' });
    expect(out.text).toMatch(/^RESOURCE_NOT_FOUND/);
  });

  it('refuses an id that is not a UUID, sending nothing', async () => {
    await expectBadInput('get_vultr_instance_bandwidth', { instance_id: '12345' }, 'instance_id');
  });
});

describe('Vultr power tools', () => {
  it('answers CONFIRMATION_REQUIRED with the main IP and label to type, sending nothing', async () => {
    const out = await call('reboot_vultr_instance', { instance_id: VULTR_PROD });
    expect(out.text).toMatch(/^CONFIRMATION_REQUIRED/);
    expect(out.text).toContain('ip_confirmation="192.0.2.30"');
    expect(out.text).toContain('name_confirmation="shop-prod"');
    expect(out.text).toContain('Tagged as production (production)');
    expect(posts()).toHaveLength(0);
  });

  it('answers CONFIRMATION_FAILED when a field is wrong, sending nothing', async () => {
    const out = await call('reboot_vultr_instance', {
      instance_id: VULTR_PROD,
      ip_confirmation: '192.0.2.30',
      name_confirmation: 'shop-prod',
      operation_confirmation: 'restart',
    });
    expect(out.text).toMatch(/^CONFIRMATION_FAILED: .*operation_confirmation "restart" does not name reboot/);
    expect(posts()).toHaveLength(0);
  });

  it('reboots through POST /instances/{id}/reboot (204), after re-reading the instance', async () => {
    const out = await call('reboot_vultr_instance', {
      instance_id: VULTR_PROD,
      ip_confirmation: '192.0.2.30',
      name_confirmation: 'shop-prod',
      operation_confirmation: '重新启动',
    });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      status: 'submitted',
      provider: 'vultr',
      action: 'reboot',
      providerActionId: null,
      stateBefore: 'running',
    });
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /v2/instances/${VULTR_PROD} 200`,
      `GET /v2/instances/${VULTR_PROD} 200`,
      `POST /v2/instances/${VULTR_PROD}/reboot 204`,
    ]);
  });

  it('starts a stopped instance through /start and halts it through /halt', async () => {
    const start = await call('power_on_vultr_instance', {
      instance_id: VULTR_STOPPED,
      ip_confirmation: '192.0.2.31',
      name_confirmation: 'ci-runner',
      operation_confirmation: 'power_on',
    });
    expect(start.isError, start.text).toBe(false);
    expect(fake.instance(VULTR_STOPPED)?.power_status).toBe('running');
    const halt = await call('power_off_vultr_instance', {
      instance_id: VULTR_STOPPED,
      ip_confirmation: '192.0.2.31',
      name_confirmation: 'ci-runner',
      operation_confirmation: '强制断电',
    });
    expect(halt.isError, halt.text).toBe(false);
    expect(posts().map((r) => r.path)).toEqual([
      `/v2/instances/${VULTR_STOPPED}/start`,
      `/v2/instances/${VULTR_STOPPED}/halt`,
    ]);
    expect(fake.instance(VULTR_STOPPED)?.power_status).toBe('stopped');
  });

  it('refuses power_on on a running instance before the call (Vultr would restart it)', async () => {
    const out = await call('power_on_vultr_instance', {
      instance_id: VULTR_VPN,
      ip_confirmation: '192.0.2.32',
      name_confirmation: 'vpn-gw',
      operation_confirmation: 'power_on',
    });
    expect(out.text).toMatch(/^OPERATION_NOT_SUPPORTED: .*already running/);
    expect(posts()).toHaveLength(0);
  });

  it('confirms a VPC-only instance by its id', async () => {
    const ask = await call('reboot_vultr_instance', { instance_id: VULTR_NO_IP });
    expect(ask.text).toContain(`ip_confirmation="${VULTR_NO_IP}"`);
    const out = await call('reboot_vultr_instance', {
      instance_id: VULTR_NO_IP,
      ip_confirmation: VULTR_NO_IP,
      name_confirmation: 'vpc-worker',
      operation_confirmation: 'reboot',
    });
    expect(out.isError, out.text).toBe(false);
  });

  it('answers OPERATION_NOT_SUPPORTED for a shutdown: Vultr has no graceful one, and nothing is sent', async () => {
    const out = await call('manage_instance_power', {
      provider: 'vultr',
      instance_id: VULTR_PROD,
      action: 'shutdown',
      ip_confirmation: '192.0.2.30',
      name_confirmation: 'shop-prod',
      operation_confirmation: 'shutdown',
    });
    expect(out.text).toMatch(/^OPERATION_NOT_SUPPORTED: Vultr has no graceful shutdown/);
    expect(fake.requests).toHaveLength(0);
  });

  it("maps an upstream refusal of the power call to an error with Vultr's message", async () => {
    fake.failNext({ match: /^POST /, status: 400, body: { error: 'Unable to reboot server: locked.', status: 400 } });
    const out = await call('reboot_vultr_instance', {
      instance_id: VULTR_PROD,
      ip_confirmation: '192.0.2.30',
      name_confirmation: 'shop-prod',
      operation_confirmation: 'reboot',
    });
    expect(out.isError).toBe(true);
    expect(out.text).toContain('Unable to reboot server: locked.');
  });

  it('refuses an id that is not a UUID, sending nothing', async () => {
    await expectBadInput('power_off_vultr_instance', { instance_id: 'abc' }, 'instance_id');
  });
});

describe('the Vultr fake', () => {
  it('refuses POST /instances/{id}/actions, which Vultr does not have', async () => {
    const response = await fetch(`${fake.url}/v2/instances/${VULTR_PROD}/actions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${VULTR_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'reboot' }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'Invalid API endpoint.', status: 404 });
    expect(fake.instance(VULTR_PROD)?.power_status).toBe('running');
  });
});

describe('secrets', () => {
  it('never shows the Vultr key in any result or error of this file', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) expect(text).not.toContain(VULTR_KEY);
  });
});

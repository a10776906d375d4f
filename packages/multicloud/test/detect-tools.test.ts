import { callTool, connectInMemory, type InMemoryConnection } from '@opsmcp/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeDigitalOcean } from '../src/sandbox/digitalocean-fake.js';
import type { FakeIpinfo } from '../src/sandbox/ipinfo-fake.js';
import type { FakeVultr } from '../src/sandbox/vultr-fake.js';
import { multicloudServer } from '../src/server.js';
import {
  DO_TOKEN,
  DROPLET_REPLICA,
  IPINFO_TOKEN,
  startDo,
  startIpinfo,
  startVultr,
  VULTR_KEY,
  VULTR_STOPPED,
} from './rest-helpers.js';

let digitalocean: FakeDigitalOcean;
let vultr: FakeVultr;
let ipinfo: FakeIpinfo;
/** DigitalOcean and Vultr configured. */
let both: InMemoryConnection;
/** Only DigitalOcean configured. */
let doOnly: InMemoryConnection;
const seen: string[] = [];

beforeAll(async () => {
  digitalocean = await startDo();
  vultr = await startVultr();
  // 198.51.100.99 is in DigitalOcean's network but no droplet of the account has it.
  ipinfo = await startIpinfo({
    answers: { '198.51.100.99': { ip: '198.51.100.99', org: 'AS14061 DigitalOcean, LLC' } },
  });
  const common = {
    digitaloceanToken: DO_TOKEN,
    digitaloceanApiUrl: `${digitalocean.url}/v2`,
    ipinfoApiUrl: ipinfo.url,
    ipinfoToken: IPINFO_TOKEN,
    maxRetries: 0,
  };
  both = await connectInMemory(multicloudServer, {
    settings: { ...common, vultrApiKey: VULTR_KEY, vultrApiUrl: `${vultr.url}/v2` },
  });
  doOnly = await connectInMemory(multicloudServer, { settings: common });
});
afterAll(async () => {
  await both.close();
  await doOnly.close();
  await Promise.all([digitalocean.stop(), vultr.stop(), ipinfo.stop()]);
});
beforeEach(() => {
  digitalocean.reset();
  vultr.reset();
  ipinfo.requests.length = 0;
});

async function find(connection: InMemoryConnection, ip: string) {
  const out = await callTool(connection.client, 'get_instance_info', { ip_address: ip });
  seen.push(out.text, JSON.stringify(out.structured ?? {}));
  return out;
}

describe('get_instance_info with DigitalOcean and Vultr', () => {
  it('finds a Vultr instance in the inventory without asking ipinfo', async () => {
    const out = await find(both, '192.0.2.31');
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      provider: 'vultr',
      foundBy: 'inventory',
      instance: { id: VULTR_STOPPED, name: 'ci-runner', state: 'stopped', running: false, publicIps: ['192.0.2.31'] },
    });
    expect(ipinfo.requests).toHaveLength(0);
  });

  it('finds a droplet by its reserved IP in the inventory', async () => {
    const out = await find(both, '198.51.100.50');
    expect(out.structured).toMatchObject({
      provider: 'digitalocean',
      instance: { id: String(DROPLET_REPLICA), publicIps: ['198.51.100.22', '198.51.100.50'] },
    });
  });

  it("tells by AS20473 that an address is Vultr's when Vultr is not configured", async () => {
    const out = await find(doOnly, '192.0.2.31');
    expect(out.text).toMatch(/^PROVIDER_NOT_AVAILABLE: ipinfo places 192\.0\.2\.31 in Vultr's network \(AS20473\)/);
    expect(out.text).toContain('VULTR_API_KEY');
    expect(ipinfo.requests.map((r) => r.path)).toEqual(['/192.0.2.31']);
  });

  it('tells by the reverse DNS name (vultrusercontent.com) when ipinfo gives no AS', async () => {
    const out = await find(doOnly, '192.0.2.32');
    expect(out.text).toMatch(/^PROVIDER_NOT_AVAILABLE: ipinfo places 192\.0\.2\.32 in Vultr's network/);
  });

  it("says RESOURCE_NOT_FOUND when the address is in a configured provider's network but not in the account", async () => {
    const out = await find(doOnly, '198.51.100.99');
    expect(out.text).toMatch(
      /^RESOURCE_NOT_FOUND: ipinfo places 198\.51\.100\.99 in DigitalOcean's network \(AS14061\)/,
    );
  });

  it('answers PROVIDER_NOT_AVAILABLE listing what was tried when no one knows the address', async () => {
    const out = await find(both, '203.0.113.99');
    expect(out.text).toMatch(/^PROVIDER_NOT_AVAILABLE/);
    expect(out.text).toContain('digitalocean: not found');
    expect(out.text).toContain('vultr: not found');
    expect(out.text).toContain('aws: not configured');
    expect(out.text).toContain('alibaba: not configured');
  });

  it('never shows the DigitalOcean, Vultr or ipinfo secrets', () => {
    expect(seen.length).toBeGreaterThan(5);
    for (const text of seen) {
      expect(text).not.toContain(DO_TOKEN);
      expect(text).not.toContain(VULTR_KEY);
      expect(text).not.toContain(IPINFO_TOKEN);
    }
  });
});

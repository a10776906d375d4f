import { callTool } from '@opsmcp/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAlibaba } from '../src/sandbox/alibaba-fake.js';
import type { FakeAws } from '../src/sandbox/aws-fake.js';
import type { FakeIpinfo } from '../src/sandbox/ipinfo-fake.js';
import { startFakeIpinfo } from '../src/sandbox/ipinfo-fake.js';
import {
  ALI_KEY,
  AWS_EU,
  AWS_KEY,
  AWS_PROD,
  cloudSettings,
  connect,
  ECS_PROD,
  ECS_STOPPED,
  startAlibaba,
  startAws,
} from './cloud-helpers.js';

let aws: FakeAws;
let alibaba: FakeAlibaba;
let ipinfo: FakeIpinfo;
let conn: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  [aws, alibaba, ipinfo] = await Promise.all([
    startAws(),
    startAlibaba(),
    startFakeIpinfo({
      answers: { '203.0.113.99': { ip: '203.0.113.99', org: 'AS37963 Hangzhou Alibaba Advertising Co.,Ltd.' } },
    }),
  ]);
  conn = await connect(cloudSettings({ aws, alibaba }, { ipinfoApiUrl: ipinfo.url }));
});
afterAll(async () => {
  await conn.close();
  await Promise.all([aws.stop(), alibaba.stop(), ipinfo.stop()]);
});
afterEach(() => {
  aws.requests.length = 0;
  alibaba.requests.length = 0;
  ipinfo.requests.length = 0;
});

const call = (name: string, args: Record<string, unknown> = {}) => callTool(conn.client, name, args);

describe('get_instance_info', () => {
  it('finds an ECS EIP in the inventories of the configured providers, asking ipinfo nothing', async () => {
    const r = await call('get_instance_info', { ip_address: '203.0.113.41' });
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({
      provider: 'alibaba',
      foundBy: 'inventory',
      instance: { id: ECS_STOPPED, name: 'report-batch' },
    });
    const attempts = (r.structured as { attempts: Array<{ provider: string; outcome: string }> }).attempts;
    expect(attempts).toEqual(
      expect.arrayContaining([
        { provider: 'aws', outcome: 'not_found' },
        { provider: 'alibaba', outcome: 'found' },
        { provider: 'digitalocean', outcome: 'not_configured' },
        { provider: 'vultr', outcome: 'not_configured' },
      ]),
    );
    expect(aws.requests.length).toBeGreaterThan(0);
    expect(ipinfo.requests).toHaveLength(0);
  });

  it('finds an AWS Elastic IP on a secondary interface in another region', async () => {
    const r = await call('get_instance_info', { ip_address: '198.51.100.77' });
    expect(r.structured).toMatchObject({ provider: 'aws', instance: { id: AWS_EU, region: 'eu-west-1' } });
  });

  it('with provider asks only that provider (any case)', async () => {
    const r = await call('get_instance_info', { ip_address: '203.0.113.10', provider: 'AWS' });
    expect(r.structured).toMatchObject({ provider: 'aws', foundBy: 'provider', instance: { id: AWS_PROD } });
    expect(alibaba.requests).toHaveLength(0);
  });

  it('says which provider ipinfo names when it is not configured: PROVIDER_NOT_AVAILABLE naming its variable', async () => {
    const r = await call('get_instance_info', { ip_address: '198.51.100.20' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('PROVIDER_NOT_AVAILABLE');
    expect(r.text).toContain('DigitalOcean');
    expect(r.text).toContain('DIGITALOCEAN_TOKEN');
    expect(ipinfo.requests).toHaveLength(1);
  });

  it('answers RESOURCE_NOT_FOUND when ipinfo names a configured provider that has no such instance', async () => {
    const r = await call('get_instance_info', { ip_address: '203.0.113.99' });
    expect(r.text).toContain('RESOURCE_NOT_FOUND');
    expect(r.text).toContain("Alibaba Cloud ECS's network");
    expect(ipinfo.requests).toHaveLength(1);
    const given = await call('get_instance_info', { ip_address: '203.0.113.99', provider: 'alibaba' });
    expect(given.text).toContain('RESOURCE_NOT_FOUND');
    expect(ipinfo.requests).toHaveLength(1);
  });

  it('rejects something that is not an IP before asking anyone', async () => {
    const r = await call('get_instance_info', { ip_address: 'web-prod-01' });
    expect(r.text).toContain('INVALID_ARGUMENT');
    expect(aws.requests.length + alibaba.requests.length + ipinfo.requests.length).toBe(0);
  });
});

describe('get_instance_by_provider', () => {
  it('reads by id or by IP, told apart by form', async () => {
    const byId = await call('get_instance_by_provider', { provider: 'alibaba', identifier: ECS_PROD });
    expect(byId.structured).toMatchObject({ matchedBy: 'id', instance: { id: ECS_PROD, tags: { env: 'production' } } });
    const byIp = await call('get_instance_by_provider', { provider: 'aws', identifier: '203.0.113.10' });
    expect(byIp.structured).toMatchObject({ matchedBy: 'public_ip', instance: { id: AWS_PROD } });
  });

  it("rejects an id in another provider's format before sending anything", async () => {
    const r = await call('get_instance_by_provider', { provider: 'aws', identifier: ECS_PROD });
    expect(r.text).toContain('INVALID_ARGUMENT');
    const vultr = await call('get_instance_by_provider', { provider: 'vultr', identifier: 'abc-123' });
    expect(vultr.text).toContain('INVALID_ARGUMENT');
    expect(aws.requests.length + alibaba.requests.length).toBe(0);
  });
});

describe('status tools', () => {
  it('get_system_status: operational with two providers, power tools off', async () => {
    const r = await call('get_system_status');
    expect(r.structured).toMatchObject({
      status: 'operational',
      availableProviders: ['aws', 'alibaba'],
      availableCount: 2,
      totalProviders: 4,
      powerToolsEnabled: false,
    });
  });

  it('get_system_status: limited without any provider', async () => {
    const c = await connect({});
    try {
      const r = await callTool(c.client, 'get_system_status', {});
      expect(r.structured).toMatchObject({ status: 'limited', availableCount: 0 });
    } finally {
      await c.close();
    }
  });

  it('get_supported_providers: four providers with their availability and access', async () => {
    const r = await call('get_supported_providers');
    const providers = (r.structured as { providers: Array<{ provider: string; available: boolean; access: string }> })
      .providers;
    expect(providers.map((p) => [p.provider, p.available, p.access])).toEqual([
      ['aws', true, 'read'],
      ['digitalocean', false, 'read_and_power'],
      ['vultr', false, 'read_and_power'],
      ['alibaba', true, 'read_and_power'],
    ]);
    expect(r.structured).toMatchObject({ ipDetection: { service: 'ipinfo', tokenConfigured: false } });
  });

  it('check_provider_availability: lower-cases the name and names the variables set, never their values', async () => {
    const r = await call('check_provider_availability', { provider_name: ' AWS ' });
    expect(r.structured).toMatchObject({
      provider: 'aws',
      available: true,
      variablesSet: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    });
    expect(r.text).not.toContain(AWS_KEY.accessKeyId);
    expect(r.text).not.toContain(AWS_KEY.secretAccessKey);
    const ali = await call('check_provider_availability', { provider_name: 'Alibaba' });
    expect(ali.structured).toMatchObject({
      available: true,
      variablesSet: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
    });
    expect(ali.text).not.toContain(ALI_KEY.accessKeySecret);
    const vultr = await call('check_provider_availability', { provider_name: 'vultr' });
    expect(vultr.structured).toMatchObject({ available: false, variablesSet: [], toConfigure: 'VULTR_API_KEY' });
    const bad = await call('check_provider_availability', { provider_name: 'gcp' });
    expect(bad.text).toContain('INVALID_ARGUMENT');
  });
});

import { callTool, connectInMemory } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multicloudServer } from '../src/server.js';
import './cloud-helpers.js';

let conn: Awaited<ReturnType<typeof connectInMemory>>;
const outputs: string[] = [];

beforeAll(async () => {
  conn = await connectInMemory(multicloudServer, { settings: { sandbox: true, allowWrite: true } });
});
afterAll(async () => {
  await conn.close();
});

const call = async (name: string, args: Record<string, unknown> = {}) => {
  const r = await callTool(conn.client, name, args);
  outputs.push(r.text, JSON.stringify(r.structured ?? {}));
  return r;
};

describe('the sandbox', () => {
  it('configures all four providers and says it is simulated', async () => {
    const r = await call('get_system_status');
    expect(r.structured).toMatchObject({
      status: 'operational',
      availableProviders: ['aws', 'digitalocean', 'vultr', 'alibaba'],
      sandbox: true,
    });
    expect(r.text).toContain('[SANDBOX:');
  });

  it('serves AWS through the signed client path: a production-tagged, a stopped and a private-only instance', async () => {
    const r = await call('list_aws_instances');
    const instances = (
      r.structured as {
        instances: Array<{ id: string; running: boolean | null; publicIps: string[]; tags: Record<string, string> }>;
      }
    ).instances;
    expect(instances.some((i) => i.tags.Environment === 'production')).toBe(true);
    expect(instances.some((i) => i.running === false)).toBe(true);
    expect(instances.some((i) => i.publicIps.length === 0 && i.running === true)).toBe(true);
    expect((await call('get_aws_instance_storage_info', { instance_id: 'i-0a1b2c3d4e5f60001' })).isError).toBe(false);
    expect((await call('get_aws_instance_monitoring', { instance_id: 'i-0a1b2c3d4e5f60001' })).isError).toBe(false);
  });

  it('serves Alibaba ECS, and a power operation changes the simulated state', async () => {
    const listed = await call('list_alibaba_instances');
    const instances = (
      listed.structured as { instances: Array<{ id: string; tags: Record<string, string>; running: boolean | null }> }
    ).instances;
    expect(instances.some((i) => i.tags.env === 'production')).toBe(true);
    expect(instances.some((i) => i.running === false)).toBe(true);
    const stop = await call('power_off_alibaba_instance', {
      instance_id: 'i-bp1hx8u4m2v0c7x5k303',
      ip_confirmation: '203.0.113.42',
      name_confirmation: 'test-box',
      operation_confirmation: 'power_off',
    });
    expect(stop.isError, stop.text).toBe(false);
    const after = await call('get_alibaba_instance_info', { ip_address_or_id: 'i-bp1hx8u4m2v0c7x5k303' });
    expect(['Stopping', 'Stopped']).toContain(
      (after.structured as { instance: { summary: { state: string } } }).instance.summary.state,
    );
    expect((await call('get_alibaba_instance_monitoring', { instance_id: 'i-bp1hx8u4m2v0c7x5k301' })).isError).toBe(
      false,
    );
  });

  it('finds instances of every provider by IP, detection included', async () => {
    for (const [ip, provider] of [
      ['203.0.113.10', 'aws'],
      ['198.51.100.20', 'digitalocean'],
      ['192.0.2.30', 'vultr'],
      ['203.0.113.41', 'alibaba'],
    ] as const) {
      const r = await call('get_instance_info', { ip_address: ip });
      expect(r.isError, r.text).toBe(false);
      expect(r.structured).toMatchObject({ provider });
    }
    for (const name of ['get_supported_providers', 'list_digitalocean_droplets', 'list_vultr_instances']) {
      expect((await call(name)).isError, name).toBe(false);
    }
    for (const provider of ['aws', 'digitalocean', 'vultr', 'alibaba'])
      await call('check_provider_availability', { provider_name: provider });
  });

  it('never shows a configured secret in any output', () => {
    const settings = conn.runtime.settings as Record<string, unknown>;
    const secrets = ['awsSecretAccessKey', 'alibabaAccessKeySecret', 'digitaloceanToken', 'vultrApiKey'].map(
      (k) => settings[k],
    );
    for (const secret of secrets) expect(typeof secret === 'string' && secret.length > 10).toBe(true);
    expect(outputs.length).toBeGreaterThan(20);
    for (const text of outputs) for (const secret of secrets) expect(text).not.toContain(secret as string);
  });
});

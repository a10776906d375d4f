/**
 * The built bin against its own sandbox, every tool: the published package loads its backend SDKs
 * (AWS SDK v3 EC2 and CloudWatch, Alibaba Cloud ECS) from dist/vendor/, which keeps only what the
 * sources name, while the other tests run the sources against the installed SDKs. A tool whose
 * vendored SDK lacks a command, method or model it reaches at run time passes those tests and
 * fails here.
 */
import { fileURLToPath } from 'node:url';
import { callEveryTool, type PlannedToolCall, type SpawnedServer, spawnBin } from '@opsmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_PROD, ECS_PROD, ECS_SHANGHAI, ECS_STOPPED, ECS_TEST } from './cloud-helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const DROPLET_OFF = 401234568; // staging-web, off, 198.51.100.21
const VULTR_RUNNING = 'cb676a46-66fd-4dfb-b839-443f2e6c0b60'; // shop-prod, running, 192.0.2.30
const VULTR_STOPPED = '5f0c2d1e-8a7b-4c3d-9e2f-1a0b9c8d7e61'; // ci-runner, stopped, 192.0.2.31
const VULTR_VPN = '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a572'; // vpn-gw, running, 192.0.2.32

/** The confirmation fields of a power tool: the instance's public IP (or id), its name, the operation. */
const confirmed = (ip: string, name: string, operation: string) => ({
  ip_confirmation: ip,
  name_confirmation: name,
  operation_confirmation: operation,
});

/**
 * One call per tool, with arguments the sandbox answers; the power tools carry their confirmation
 * fields so their SDK calls run. Each power tool acts on its own instance, in a state that allows
 * the action, so the order of the calls does not matter.
 */
const CALLS: Record<string, PlannedToolCall> = {
  get_supported_providers: { args: {} },
  get_system_status: { args: {} },
  check_provider_availability: { args: { provider_name: 'aws' } },
  get_instance_info: { args: { ip_address: '203.0.113.10' } },
  get_instance_by_provider: { args: { provider: 'alibaba', identifier: ECS_PROD } },
  // AWS is read only here (it refuses power operations before any SDK call): the generic tool
  // acts on an ECS instance in the second region instead.
  manage_instance_power: {
    args: {
      provider: 'alibaba',
      instance_id: ECS_SHANGHAI,
      action: 'shutdown',
      region: 'cn-shanghai',
      ...confirmed('203.0.113.45', 'cdn-origin-sh', 'shutdown'),
    },
  },
  list_aws_instances: { args: {} },
  get_aws_instance_info: { args: { ip_address_or_id: AWS_PROD } },
  get_aws_instance_storage_info: { args: { instance_id: AWS_PROD } },
  get_aws_instance_monitoring: { args: { instance_id: AWS_PROD, hours: 3 } },
  list_digitalocean_droplets: { args: {} },
  get_digitalocean_droplet_info: { args: { ip_address_or_id: '198.51.100.20' } },
  get_digitalocean_droplet_monitoring: { args: { droplet_id: 401234567 } },
  get_digitalocean_droplet_actions: { args: { droplet_id: 401234567 } },
  power_on_digitalocean_droplet: {
    args: { droplet_id: DROPLET_OFF, ...confirmed('198.51.100.21', 'staging-web', 'power_on') },
  },
  power_off_digitalocean_droplet: {
    args: { droplet_id: 401234567, ...confirmed('198.51.100.20', 'api-prod-1', 'power_off') },
  },
  shutdown_digitalocean_droplet: {
    args: { droplet_id: 401234569, ...confirmed('198.51.100.22', 'db-replica', 'shutdown') },
  },
  reboot_digitalocean_droplet: {
    args: { droplet_id: 401234571, ...confirmed('198.51.100.23', 'gpu-trainer', 'reboot') },
  },
  list_vultr_instances: { args: {} },
  get_vultr_instance_info: { args: { ip_address_or_id: '192.0.2.30' } },
  get_vultr_instance_bandwidth: { args: { instance_id: VULTR_RUNNING } },
  power_on_vultr_instance: {
    args: { instance_id: VULTR_STOPPED, ...confirmed('192.0.2.31', 'ci-runner', 'power_on') },
  },
  power_off_vultr_instance: {
    args: { instance_id: VULTR_VPN, ...confirmed('192.0.2.32', 'vpn-gw', 'power_off') },
  },
  reboot_vultr_instance: {
    args: { instance_id: VULTR_RUNNING, ...confirmed('192.0.2.30', 'shop-prod', 'reboot') },
  },
  list_alibaba_instances: { args: {} },
  get_alibaba_instance_info: { args: { ip_address_or_id: '203.0.113.40' } },
  get_alibaba_instance_monitoring: { args: { instance_id: ECS_PROD } },
  power_on_alibaba_instance: {
    args: { instance_id: ECS_STOPPED, ...confirmed('203.0.113.41', 'report-batch', 'power_on') },
  },
  power_off_alibaba_instance: {
    args: { instance_id: ECS_TEST, ...confirmed('203.0.113.42', 'test-box', 'power_off') },
  },
  reboot_alibaba_instance: {
    args: { instance_id: ECS_PROD, ...confirmed('203.0.113.40', 'order-prod-01', 'reboot') },
  },
};

describe('opsmcp-multicloud --sandbox --allow-write (the built bin, SDKs from dist/vendor/)', () => {
  let server: SpawnedServer;
  let listed: string[] = [];

  beforeAll(async () => {
    server = await spawnBin(BIN, {
      args: ['--sandbox', '--allow-write'],
      // The AWS SDK reads the shared config files even with explicit keys: point it at nothing.
      env: {
        AWS_CONFIG_FILE: '/nonexistent/opsmcp-multicloud-test/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/opsmcp-multicloud-test/credentials',
      },
    });
    listed = (await server.client.listTools()).tools.map((tool) => tool.name);
  }, 15_000);

  afterAll(async () => {
    await server?.close();
  });

  it('has a call in the table for every tool the bin lists, and none for a tool it does not', () => {
    expect([...listed].sort()).toEqual(Object.keys(CALLS).sort());
  });

  it('the built bin runs every tool against the sandbox from its vendored SDKs', async () => {
    expect(await callEveryTool(server, CALLS)).toEqual([]);
  }, 60_000);
});

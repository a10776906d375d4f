import { callTool } from '@opsmcp/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeAlibaba } from '../src/sandbox/alibaba-fake.js';
import type { FakeAws } from '../src/sandbox/aws-fake.js';
import {
  AWS_PROD,
  cloudSettings,
  connect,
  ECS_PRIVATE,
  ECS_PROD,
  ECS_STOPPED,
  ECS_TEST,
  startAlibaba,
  startAws,
} from './cloud-helpers.js';

let fake: FakeAlibaba;
let aws: FakeAws;
let conn: Awaited<ReturnType<typeof connect>>;

// A fresh account per test: power operations change the simulated state.
beforeEach(async () => {
  fake = await startAlibaba();
  conn = await connect(cloudSettings({ alibaba: fake, aws }, { allowWrite: true }));
});
afterEach(async () => {
  await conn.close();
  await fake.stop();
});
beforeAll(async () => {
  aws = await startAws();
});
afterAll(async () => {
  await aws.stop();
});

const call = (name: string, args: Record<string, unknown>) => callTool(conn.client, name, args);
const status = (id: string) => fake.instances.find((i) => i.InstanceId === id)?.Status;
const writes = () => fake.requests.filter((q) => q.action !== 'DescribeInstances');
const confirmTest = { ip_confirmation: '203.0.113.42', name_confirmation: 'test-box' };

describe('the write gate', () => {
  it('hides the power tools without --allow-write and lists them with it', async () => {
    const closed = await connect(cloudSettings({ alibaba: fake }));
    try {
      const names = (await closed.client.listTools()).tools.map((t) => t.name);
      for (const name of [
        'power_on_alibaba_instance',
        'power_off_alibaba_instance',
        'reboot_alibaba_instance',
        'manage_instance_power',
      ]) {
        expect(names).not.toContain(name);
      }
      const refused = await callTool(closed.client, 'reboot_alibaba_instance', {
        instance_id: ECS_TEST,
        ...confirmTest,
        operation_confirmation: 'reboot',
      });
      expect(refused.isError).toBe(true);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await closed.close();
    }
    const names = (await conn.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('reboot_alibaba_instance');
  });

  it('lists the three confirmation fields on clients without elicitation', async () => {
    const tool = (await conn.client.listTools()).tools.find((t) => t.name === 'power_off_alibaba_instance');
    expect(Object.keys(tool?.inputSchema.properties ?? {}).sort()).toEqual(
      ['instance_id', 'ip_confirmation', 'name_confirmation', 'operation_confirmation', 'region'].sort(),
    );
    expect(tool?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
  });
});

describe('confirmation by arguments', () => {
  it('answers CONFIRMATION_REQUIRED with the instance facts when fields are missing, sending no write', async () => {
    const r = await call('reboot_alibaba_instance', { instance_id: ECS_PROD });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('CONFIRMATION_REQUIRED');
    expect(r.text).toContain('order-prod-01');
    expect(r.text).toContain('203.0.113.40');
    expect(r.text).toContain('Tagged as production (env=production)');
    expect(r.text).toContain(
      'ip_confirmation="203.0.113.40", name_confirmation="order-prod-01", operation_confirmation="reboot"',
    );
    expect(writes()).toHaveLength(0);
  });

  it('answers CONFIRMATION_FAILED with one reason per wrong field, sending no write', async () => {
    const r = await call('reboot_alibaba_instance', {
      instance_id: ECS_PROD,
      ip_confirmation: '203.0.113.41',
      name_confirmation: 'ORDER-prod-01',
      operation_confirmation: 'restart',
    });
    expect(r.text).toContain('CONFIRMATION_FAILED');
    expect(r.text).toContain('ip_confirmation "203.0.113.41"');
    expect(r.text).toContain('name_confirmation "ORDER-prod-01"');
    expect(r.text).toContain('operation_confirmation "restart"');
    expect(writes()).toHaveLength(0);
  });

  it('reboots gracefully (ForceStop=false) after reading the instance again just before acting', async () => {
    const r = await call('reboot_alibaba_instance', {
      instance_id: ECS_TEST,
      ...confirmTest,
      operation_confirmation: '重启',
    });
    expect(r.isError).toBe(false);
    const reboot = fake.requests.find((q) => q.action === 'RebootInstance');
    expect(r.structured).toMatchObject({
      status: 'submitted',
      provider: 'alibaba',
      instanceId: ECS_TEST,
      action: 'reboot',
      stateBefore: 'Running',
      providerActionId: reboot?.requestId,
      requestId: reboot?.requestId,
    });
    expect(reboot?.params).toMatchObject({ InstanceId: ECS_TEST, ForceStop: 'false' });
    // One read for the confirmation plan, one just before acting, then the write.
    expect(fake.requests.map((q) => q.action)).toEqual(['DescribeInstances', 'DescribeInstances', 'RebootInstance']);
  });

  it('force-stops with ForceStop=true and an explicit StoppedMode, changing the simulated state', async () => {
    const r = await call('power_off_alibaba_instance', {
      instance_id: ECS_TEST,
      ...confirmTest,
      operation_confirmation: '强制关机',
    });
    expect(r.isError).toBe(false);
    expect(fake.requests.find((q) => q.action === 'StopInstance')?.params).toMatchObject({
      InstanceId: ECS_TEST,
      ForceStop: 'true',
      StoppedMode: 'KeepCharging',
    });
    expect(status(ECS_TEST)).toBe('Stopped');
  });

  it('starts a stopped instance confirmed by its EIP', async () => {
    const r = await call('power_on_alibaba_instance', {
      instance_id: ECS_STOPPED,
      ip_confirmation: '203.0.113.41',
      name_confirmation: 'report-batch',
      operation_confirmation: 'POWER_ON',
    });
    expect(r.isError).toBe(false);
    expect(fake.requests.find((q) => q.action === 'StartInstance')?.params).toMatchObject({ InstanceId: ECS_STOPPED });
    expect(status(ECS_STOPPED)).toBe('Running');
  });

  it('confirms an instance without a public IP by its id, never by 未知', async () => {
    const sentinel = await call('reboot_alibaba_instance', {
      instance_id: ECS_PRIVATE,
      ip_confirmation: '未知',
      name_confirmation: 'etl-internal',
      operation_confirmation: 'reboot',
    });
    expect(sentinel.text).toContain('CONFIRMATION_FAILED');
    expect(writes()).toHaveLength(0);
    const byId = await call('reboot_alibaba_instance', {
      instance_id: ECS_PRIVATE,
      ip_confirmation: ECS_PRIVATE,
      name_confirmation: 'etl-internal',
      operation_confirmation: 'reboot',
    });
    expect(byId.isError).toBe(false);
    expect((byId.structured as { warnings: string[] }).warnings).toContain('Large instance (32 vCPUs, 128 GiB RAM).');
  });
});

describe('state checks', () => {
  it('refuses to start a running instance or stop a stopped one before asking, sending no write', async () => {
    const start = await call('power_on_alibaba_instance', { instance_id: ECS_TEST });
    expect(start.text).toContain('OPERATION_NOT_SUPPORTED');
    expect(start.text).toContain('already running');
    const stop = await call('power_off_alibaba_instance', { instance_id: ECS_STOPPED });
    expect(stop.text).toContain('OPERATION_NOT_SUPPORTED');
    const reboot = await call('reboot_alibaba_instance', { instance_id: ECS_STOPPED });
    expect(reboot.text).toContain('OPERATION_NOT_SUPPORTED');
    expect(writes()).toHaveLength(0);
  });

  it('maps IncorrectInstanceStatus from ECS to OPERATION_NOT_SUPPORTED with the RequestId', async () => {
    fake.failNext({
      action: 'RebootInstance',
      status: 403,
      code: 'IncorrectInstanceStatus',
      message: 'The current status of the resource does not support this operation.',
    });
    const r = await call('reboot_alibaba_instance', {
      instance_id: ECS_TEST,
      ...confirmTest,
      operation_confirmation: 'reboot',
    });
    expect(r.text).toContain('OPERATION_NOT_SUPPORTED');
    expect(r.text).toContain('IncorrectInstanceStatus');
    expect(r.text).toContain(`request id ${fake.requests.at(-1)?.requestId}`);
  });

  it('never retries a failed write', async () => {
    fake.failNext({ action: 'StopInstance', status: 503, code: 'ServiceUnavailable', message: 'busy' });
    const c = await connect(cloudSettings({ alibaba: fake }, { allowWrite: true, maxRetries: 3 }));
    try {
      const r = await callTool(c.client, 'power_off_alibaba_instance', {
        instance_id: ECS_TEST,
        ...confirmTest,
        operation_confirmation: 'power_off',
      });
      expect(r.isError).toBe(true);
      expect(fake.requests.filter((q) => q.action === 'StopInstance')).toHaveLength(1);
    } finally {
      await c.close();
    }
  });
});

describe('confirmation by elicitation', () => {
  for (const [answer, expected] of [
    ['accept', null],
    ['decline', 'declined'],
    ['cancel', 'cancelled'],
  ] as const) {
    it(`${answer}: ${expected ? 'nothing is sent' : 'the reboot is sent'}; the user sees the instance facts`, async () => {
      const messages: string[] = [];
      const c = await connect(cloudSettings({ alibaba: fake }, { allowWrite: true }), {
        onElicit: (message) => {
          messages.push(message);
          return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: answer };
        },
      });
      try {
        const tools = (await c.client.listTools()).tools;
        expect(
          Object.keys(tools.find((t) => t.name === 'reboot_alibaba_instance')?.inputSchema.properties ?? {}),
        ).not.toContain('ip_confirmation');
        const r = await callTool(c.client, 'reboot_alibaba_instance', { instance_id: ECS_PROD });
        expect(messages[0]).toContain('order-prod-01');
        expect(messages[0]).toContain('203.0.113.40');
        expect(messages[0]).toContain('Running');
        expect(messages[0]).toContain('Tagged as production');
        if (expected) {
          expect(r.text).toContain('CONFIRMATION_FAILED');
          expect(r.text).toContain(expected);
          expect(writes()).toHaveLength(0);
        } else {
          expect(r.isError).toBe(false);
          expect(writes().map((q) => q.action)).toEqual(['RebootInstance']);
        }
      } finally {
        await c.close();
      }
    });
  }
});

describe('reading the instance again before acting', () => {
  it('refuses when the state changed while the user was being asked, sending no write', async () => {
    const c = await connect(cloudSettings({ alibaba: fake }, { allowWrite: true }), {
      onElicit: () => {
        // Someone else stops the instance while the user is looking at the question.
        const instance = fake.instances.find((i) => i.InstanceId === ECS_TEST);
        instance.Status = 'Stopped';
        return { action: 'accept', content: { confirm: true } };
      },
    });
    try {
      const r = await callTool(c.client, 'reboot_alibaba_instance', { instance_id: ECS_TEST });
      expect(r.text).toContain('OPERATION_NOT_SUPPORTED');
      expect(r.text).toContain('not running');
      expect(writes()).toHaveLength(0);
    } finally {
      await c.close();
    }
  });
});

describe('manage_instance_power', () => {
  it('shuts an ECS instance down gracefully (StopInstance ForceStop=false)', async () => {
    const r = await call('manage_instance_power', {
      provider: 'Alibaba',
      instance_id: ECS_TEST,
      action: 'shutdown',
      ...confirmTest,
      operation_confirmation: '优雅关机',
    });
    expect(r.isError).toBe(false);
    expect(r.structured).toMatchObject({ status: 'submitted', action: 'shutdown', provider: 'alibaba' });
    expect(fake.requests.find((q) => q.action === 'StopInstance')?.params).toMatchObject({
      ForceStop: 'false',
      StoppedMode: 'KeepCharging',
    });
  });

  it('checks the operation word against the action asked (shutdown words do not confirm power_off)', async () => {
    const r = await call('manage_instance_power', {
      provider: 'alibaba',
      instance_id: ECS_TEST,
      action: 'power_off',
      ...confirmTest,
      operation_confirmation: '关机',
    });
    expect(r.text).toContain('CONFIRMATION_FAILED');
    expect(writes()).toHaveLength(0);
  });

  it('answers OPERATION_NOT_SUPPORTED for AWS before reading or asking anything', async () => {
    const r = await call('manage_instance_power', { provider: 'aws', instance_id: AWS_PROD, action: 'reboot' });
    expect(r.text).toContain('OPERATION_NOT_SUPPORTED');
    expect(r.text).toContain('read only');
    expect(aws.requests).toHaveLength(0);
  });

  it('answers OPERATION_NOT_SUPPORTED for a Vultr shutdown before asking', async () => {
    const r = await call('manage_instance_power', {
      provider: 'vultr',
      instance_id: 'cb676a46-66fd-4dfb-b839-443f2e6c0b60',
      action: 'shutdown',
    });
    expect(r.text).toContain('OPERATION_NOT_SUPPORTED');
    expect(r.text).toContain('no graceful shutdown');
  });

  it('answers PROVIDER_NOT_AVAILABLE for an unconfigured provider, naming its variable', async () => {
    const r = await call('manage_instance_power', {
      provider: 'digitalocean',
      instance_id: '401234567',
      action: 'reboot',
    });
    expect(r.text).toContain('PROVIDER_NOT_AVAILABLE');
    expect(r.text).toContain('DIGITALOCEAN_TOKEN');
  });

  it('rejects an unknown action or provider before anything is read', async () => {
    for (const args of [
      { provider: 'alibaba', instance_id: ECS_TEST, action: 'delete' },
      { provider: 'gcp', instance_id: ECS_TEST, action: 'reboot' },
    ]) {
      const r = await call('manage_instance_power', args);
      expect(r.text).toContain('INVALID_ARGUMENT');
    }
    expect(fake.requests).toHaveLength(0);
  });
});

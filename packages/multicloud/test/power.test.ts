import { describe, expect, it } from 'vitest';
import { checkPowerConfirmation, expectedConfirmation, powerPlan } from '../src/power/confirm.js';
import { normalizeIp } from '../src/power/ip.js';
import { isOperationWord, OPERATION_WORDS } from '../src/power/operations.js';
import { LARGE_INSTANCE, productionTags, safetyChecks } from '../src/power/safety.js';
import type { InstanceSummary, PowerAction } from '../src/providers/types.js';

const instance = (overrides: Partial<InstanceSummary> = {}): InstanceSummary => ({
  provider: 'alibaba',
  id: 'i-bp1hx8u4m2v0c7x5k301',
  name: 'order-prod-01',
  state: 'Running',
  running: true,
  publicIps: ['203.0.113.40'],
  privateIps: ['172.16.10.21'],
  region: 'cn-hangzhou',
  type: 'ecs.g7.large',
  vcpus: 2,
  memoryMb: 8192,
  tags: {},
  createdAt: null,
  ...overrides,
});

const planFor = (i: InstanceSummary, action: PowerAction) => powerPlan(i, action, safetyChecks(i, action));
const check = (i: InstanceSummary, action: PowerAction, fields: Record<string, unknown>) =>
  checkPowerConfirmation(fields, planFor(i, action));

describe('normalizeIp', () => {
  it('compresses and lower-cases IPv6 and keeps IPv4 as given', () => {
    expect(normalizeIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(normalizeIp(' [2001:db8:0:0:1:0:0:1] ')).toBe('2001:db8::1:0:0:1');
    expect(normalizeIp('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(normalizeIp('::ffff:192.0.2.1')).toBe('::ffff:c000:201');
    expect(normalizeIp(' 203.0.113.40 ')).toBe('203.0.113.40');
    expect(normalizeIp('not-an-ip ')).toBe('not-an-ip');
  });
});

describe('the triple confirmation', () => {
  const fields = {
    ip_confirmation: '203.0.113.40',
    name_confirmation: 'order-prod-01',
    operation_confirmation: 'reboot',
  };

  it('accepts the exact IP, name and operation', () => {
    expect(check(instance(), 'reboot', fields)).toEqual({ ok: true });
  });

  it('trims both sides: the typed values and the instance name', () => {
    const padded = instance({ name: '  order-prod-01 ' });
    expect(
      check(padded, 'reboot', {
        ip_confirmation: ' 203.0.113.40\n',
        name_confirmation: '\torder-prod-01  ',
        operation_confirmation: ' REBOOT ',
      }),
    ).toEqual({ ok: true });
  });

  it('compares the name case-sensitively', () => {
    const verdict = check(instance(), 'reboot', { ...fields, name_confirmation: 'Order-Prod-01' });
    expect(verdict).toMatchObject({ ok: false, missing: false });
    expect(verdict.ok === false && verdict.reasons).toEqual([
      'name_confirmation "Order-Prod-01" is not the instance\'s name (case-sensitive)',
    ]);
  });

  it('accepts every operation word of each action, in any case, and only those', () => {
    const actions = Object.keys(OPERATION_WORDS) as PowerAction[];
    for (const action of actions) {
      for (const word of OPERATION_WORDS[action]) {
        expect(isOperationWord(action, word.toUpperCase())).toBe(true);
        expect(isOperationWord(action, ` ${word} `)).toBe(true);
      }
      for (const other of actions.filter((a) => a !== action)) {
        for (const word of OPERATION_WORDS[other]) expect(isOperationWord(action, word)).toBe(false);
      }
    }
    expect(OPERATION_WORDS.power_on).toEqual(['power_on', '开机', '启动']);
    expect(OPERATION_WORDS.power_off).toEqual(['power_off', '强制关机', '强制断电']);
    expect(OPERATION_WORDS.shutdown).toEqual(['shutdown', '关机', '优雅关机']);
    expect(OPERATION_WORDS.reboot).toEqual(['reboot', '重启', '重新启动']);
    expect(isOperationWord('power_on', 'power on')).toBe(false);
    expect(isOperationWord('power_on', 'power-on')).toBe(false);
  });

  it('accepts the Chinese words in a full confirmation', () => {
    expect(check(instance(), 'reboot', { ...fields, operation_confirmation: '重新启动' })).toEqual({ ok: true });
    const stopped = instance({ running: false, state: 'Stopped' });
    expect(check(stopped, 'power_on', { ...fields, operation_confirmation: '启动' })).toEqual({ ok: true });
  });

  it('gives one reason per wrong field', () => {
    const verdict = check(instance(), 'power_off', {
      ip_confirmation: '203.0.113.41',
      name_confirmation: 'order',
      operation_confirmation: '关机',
    });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.missing).toBe(false);
    expect(verdict.reasons).toHaveLength(3);
    expect(verdict.reasons[0]).toContain('ip_confirmation');
    expect(verdict.reasons[1]).toContain('name_confirmation');
    expect(verdict.reasons[2]).toContain('does not name power_off');
    expect(verdict.hint).toBe(
      'ip_confirmation="203.0.113.40", name_confirmation="order-prod-01", operation_confirmation="power_off"',
    );
  });

  it('reports missing fields (empty or blank) with the exact values to type', () => {
    const verdict = check(instance(), 'reboot', { ip_confirmation: '  ', name_confirmation: 'order-prod-01' });
    expect(verdict).toEqual({
      ok: false,
      missing: true,
      reasons: ['ip_confirmation is empty', 'operation_confirmation is empty'],
      hint: 'ip_confirmation="203.0.113.40", name_confirmation="order-prod-01", operation_confirmation="reboot"',
    });
  });

  it('confirms an instance without a public IP by its id, and never by a placeholder word', () => {
    const privateOnly = instance({ publicIps: [] });
    expect(expectedConfirmation(privateOnly).ip).toBe('i-bp1hx8u4m2v0c7x5k301');
    for (const sentinel of ['未知', 'unknown', 'none', '']) {
      expect(check(privateOnly, 'reboot', { ...fields, ip_confirmation: sentinel }).ok).toBe(false);
    }
    expect(check(privateOnly, 'reboot', { ...fields, ip_confirmation: 'i-bp1hx8u4m2v0c7x5k301' })).toEqual({
      ok: true,
    });
  });

  it('confirms an instance without a name by its id', () => {
    const unnamed = instance({ name: '' });
    expect(check(unnamed, 'reboot', { ...fields, name_confirmation: '未知' }).ok).toBe(false);
    expect(check(unnamed, 'reboot', { ...fields, name_confirmation: unnamed.id })).toEqual({ ok: true });
  });

  it('normalises IPv6 on both sides', () => {
    const v6 = instance({ publicIps: ['2001:db8::10'] });
    expect(check(v6, 'reboot', { ...fields, ip_confirmation: '2001:0DB8:0:0:0:0:0:0010' })).toEqual({ ok: true });
    expect(check(v6, 'reboot', { ...fields, ip_confirmation: '2001:db8::11' }).ok).toBe(false);
  });
});

describe('safety checks', () => {
  it('flags production tags by exact key and value only', () => {
    expect(productionTags({ env: 'production' })).toEqual(['env=production']);
    expect(productionTags({ Environment: 'Prod' })).toEqual(['Environment=Prod']);
    expect(productionTags({ stage: 'PRODUCTION' })).toEqual(['stage=PRODUCTION']);
    expect(productionTags({ production: '' })).toEqual(['production']);
    expect(
      productionTags({ env: 'staging', product: 'shop', producer: '', team: 'prod-ops', owner: 'production' }),
    ).toEqual([]);
    expect(productionTags({ 'env-name': 'prod' })).toEqual([]);
  });

  it('flags large instances by vCPU or memory, never by the type name', () => {
    const warns = (i: InstanceSummary) => safetyChecks(i, 'reboot').warnings.filter((w) => w.startsWith('Large'));
    expect(warns(instance({ vcpus: LARGE_INSTANCE.vcpus }))).toHaveLength(1);
    expect(warns(instance({ memoryMb: LARGE_INSTANCE.memoryMb }))).toHaveLength(1);
    expect(warns(instance({ type: 'ecs.g7.8xlarge', vcpus: 2, memoryMb: 8192 }))).toEqual([]);
    expect(warns(instance({ vcpus: null, memoryMb: null }))).toEqual([]);
  });

  it('refuses transitions that make no sense', () => {
    const running = instance();
    const stopped = instance({ state: 'Stopped', running: false });
    expect(safetyChecks(running, 'power_on').refusal?.code).toBe('OPERATION_NOT_SUPPORTED');
    for (const action of ['power_off', 'shutdown', 'reboot'] as const) {
      expect(safetyChecks(stopped, action).refusal?.code).toBe('OPERATION_NOT_SUPPORTED');
      expect(safetyChecks(running, action).refusal).toBeUndefined();
    }
    expect(safetyChecks(stopped, 'power_on').refusal).toBeUndefined();
  });

  it('refuses any action while the instance is in transition or locked', () => {
    const starting = instance({ state: 'Starting', running: null });
    const locked = instance({ locked: true });
    for (const action of ['power_on', 'power_off', 'shutdown', 'reboot'] as const) {
      expect(safetyChecks(starting, action).refusal?.message).toContain('try again when it settles');
      expect(safetyChecks(locked, action).refusal?.message).toContain('try again when it settles');
    }
  });

  it('puts the warnings and the facts into the plan', () => {
    const plan = planFor(instance({ tags: { env: 'production' }, vcpus: 32 }), 'power_off');
    expect(plan.details).toMatchObject({
      provider: 'alibaba',
      instance_id: 'i-bp1hx8u4m2v0c7x5k301',
      name: 'order-prod-01',
      public_ip: '203.0.113.40',
      state: 'Running',
      operation: 'power_off',
    });
    expect(plan.warnings).toEqual([
      'Tagged as production (env=production).',
      'Large instance (32 vCPUs).',
      'A forced power off cuts power without shutting the OS down: unsaved data can be lost.',
    ]);
  });
});

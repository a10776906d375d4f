import { callTool, connectInMemory, type InMemoryConnection } from '@opsmcp/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeDigitalOcean } from '../src/sandbox/digitalocean-fake.js';
import { multicloudServer } from '../src/server.js';
import {
  DO_TOKEN,
  DROPLET_GPU,
  DROPLET_NO_IP,
  DROPLET_OFF,
  DROPLET_PROD,
  DROPLET_REPLICA,
  startDo,
} from './rest-helpers.js';

let fake: FakeDigitalOcean;
let conn: InMemoryConnection;
/** Every text and structured result the tests saw, to check that the token never leaks. */
const seen: string[] = [];

const settingsFor = (url: string, extra: Record<string, unknown> = {}) => ({
  digitaloceanToken: DO_TOKEN,
  digitaloceanApiUrl: `${url}/v2`,
  // Unreachable on purpose: these tests never need ipinfo.
  ipinfoApiUrl: 'http://127.0.0.1:1',
  allowWrite: true,
  maxRetries: 0,
  ...extra,
});

beforeAll(async () => {
  // Two droplets per page: every listing crosses pages.
  fake = await startDo({ pageSizeCap: 2 });
  conn = await connectInMemory(multicloudServer, { settings: settingsFor(fake.url) });
});
afterAll(async () => {
  await conn.close();
  await fake.stop();
});
beforeEach(() => fake.reset());

async function call(name: string, args: Record<string, unknown> = {}, connection = conn, options = {}) {
  const out = await callTool(connection.client, name, args, options);
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

describe('get_digitalocean_droplet_info', () => {
  it('finds a droplet by id', async () => {
    const out = await call('get_digitalocean_droplet_info', { ip_address_or_id: String(DROPLET_PROD) });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      matchedBy: 'id',
      droplet: {
        id: DROPLET_PROD,
        name: 'api-prod-1',
        status: 'active',
        running: true,
        region: 'nyc3',
        size: 's-2vcpu-4gb',
        publicIpv4: ['198.51.100.20'],
        publicIpv6: ['2001:db8:10::20'],
        privateIpv4: ['10.116.0.2'],
        tags: ['env:production', 'api'],
        monitoringAgent: true,
      },
    });
    expect(fake.requests.map((r) => r.path)).toEqual([`/v2/droplets/${DROPLET_PROD}`]);
  });

  it('finds a droplet by a public IP on the second page', async () => {
    const out = await call('get_digitalocean_droplet_info', { ip_address_or_id: '198.51.100.22' });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({ matchedBy: 'public_ip', droplet: { id: DROPLET_REPLICA } });
    expect(fake.requests.some((r) => r.path === '/v2/droplets' && r.query.page === '2')).toBe(true);
  });

  it('finds a droplet by its IPv6 address written in another form', async () => {
    const out = await call('get_digitalocean_droplet_info', { ip_address_or_id: '2001:DB8:10:0:0:0:0:20' });
    expect(out.structured).toMatchObject({ matchedBy: 'public_ip', droplet: { id: DROPLET_PROD } });
  });

  it('finds a GPU droplet, which only the type=gpus listing shows', async () => {
    const out = await call('get_digitalocean_droplet_info', { ip_address_or_id: '198.51.100.23' });
    expect(out.structured).toMatchObject({ droplet: { id: DROPLET_GPU, name: 'gpu-trainer', vcpus: 20 } });
  });

  it('resolves a reserved IP to the droplet it points at', async () => {
    const out = await call('get_digitalocean_droplet_info', { ip_address_or_id: '198.51.100.50' });
    expect(out.structured).toMatchObject({
      matchedBy: 'reserved_ip',
      droplet: { id: DROPLET_REPLICA, reservedIps: ['198.51.100.50'] },
    });
  });

  it('answers RESOURCE_NOT_FOUND for an address no droplet has', async () => {
    const out = await call('get_digitalocean_droplet_info', { ip_address_or_id: '203.0.113.77' });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(
      /^RESOURCE_NOT_FOUND: No DigitalOcean droplet of this account has the public IP 203\.0\.113\.77/,
    );
  });

  it('maps an unknown id to RESOURCE_NOT_FOUND with the upstream code and request id', async () => {
    const out = await call('get_digitalocean_droplet_info', { ip_address_or_id: '999' });
    expect(out.text).toMatch(/^RESOURCE_NOT_FOUND/);
    expect(out.text).toMatch(/Upstream: code not_found, HTTP 404, request id [0-9a-f-]{36}/);
  });

  it('refuses an identifier that is neither an id nor an IP, sending nothing', async () => {
    await expectBadInput('get_digitalocean_droplet_info', { ip_address_or_id: 'web-1' }, 'neither a droplet id');
  });
});

describe('list_digitalocean_droplets', () => {
  it('lists every droplet across pages, GPU droplets included', async () => {
    const out = await call('list_digitalocean_droplets');
    expect(out.isError, out.text).toBe(false);
    const droplets = out.structured?.droplets as Array<{ id: number; name: string }>;
    expect(droplets.map((d) => d.name)).toEqual([
      'api-prod-1',
      'staging-web',
      'db-replica',
      'batch-worker',
      'gpu-trainer',
    ]);
    expect(out.structured).toMatchObject({ count: 5, truncated: false });
  });

  it('answers INVALID_CREDENTIALS when DigitalOcean rejects the token', async () => {
    fake.failNext({
      match: /^GET /,
      status: 401,
      body: { id: 'unauthorized', message: 'Unable to authenticate you.' },
    });
    const out = await call('list_digitalocean_droplets');
    expect(out.text).toMatch(/^INVALID_CREDENTIALS: DigitalOcean did not accept the credentials/);
  });

  it('answers PROVIDER_NOT_AVAILABLE naming DIGITALOCEAN_TOKEN when no token is set', async () => {
    const bare = await connectInMemory(multicloudServer, {
      settings: settingsFor(fake.url, { digitaloceanToken: undefined }),
    });
    try {
      const out = await call('list_digitalocean_droplets', {}, bare);
      expect(out.text).toMatch(/^PROVIDER_NOT_AVAILABLE/);
      expect(out.text).toContain('DIGITALOCEAN_TOKEN');
      expect(fake.requests).toHaveLength(0);
    } finally {
      await bare.close();
    }
  });
});

describe('get_digitalocean_droplet_actions', () => {
  it('lists the actions newest first', async () => {
    const out = await call('get_digitalocean_droplet_actions', { droplet_id: DROPLET_PROD });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      dropletId: DROPLET_PROD,
      count: 2,
      total: 2,
      truncated: false,
      actions: [
        { id: 2201000001, type: 'reboot', status: 'completed', completedAt: '2024-03-08T10:15:41Z' },
        { id: 2200999000, type: 'power_on', status: 'completed' },
      ],
    });
  });

  it('stops at the limit and says more exist', async () => {
    const out = await call('get_digitalocean_droplet_actions', { droplet_id: DROPLET_PROD, limit: 1 });
    expect(out.structured).toMatchObject({ count: 1, truncated: true, total: 2 });
    expect(fake.requests.at(-1)?.query.per_page).toBe('1');
  });

  it('maps an unknown droplet to RESOURCE_NOT_FOUND', async () => {
    const out = await call('get_digitalocean_droplet_actions', { droplet_id: 12345 });
    expect(out.text).toMatch(/^RESOURCE_NOT_FOUND/);
  });

  it('refuses a droplet id that is not a positive integer, sending nothing', async () => {
    await expectBadInput('get_digitalocean_droplet_actions', { droplet_id: -4 }, 'droplet_id');
    await expectBadInput('get_digitalocean_droplet_actions', { droplet_id: '401234567' }, 'droplet_id');
  });
});

describe('get_digitalocean_droplet_monitoring', () => {
  it('computes CPU % from the counters and reads public bandwidth and agent memory', async () => {
    fake.setMetric('cpu', DROPLET_PROD, [
      {
        metric: { host_id: String(DROPLET_PROD), mode: 'idle' },
        values: [
          [1709888100, '182311.42'],
          [1709888220, '182426.90'],
        ],
      },
      {
        metric: { host_id: String(DROPLET_PROD), mode: 'user' },
        values: [
          [1709888100, '9120.55'],
          [1709888220, '9124.80'],
        ],
      },
      {
        metric: { host_id: String(DROPLET_PROD), mode: 'system' },
        values: [
          [1709888100, '3301.10'],
          [1709888220, '3302.05'],
        ],
      },
    ]);
    const out = await call('get_digitalocean_droplet_monitoring', { droplet_id: DROPLET_PROD, hours: 2 });
    expect(out.isError, out.text).toBe(false);
    type Series = { unit: string; points: Array<{ time: string; value: number }> };
    const s = out.structured as {
      hours: number;
      agentInstalled: boolean;
      cpuPercent: Series;
      publicInboundMbps: Series;
      publicOutboundMbps: Series;
      memoryUsedPercent: Series;
    };
    // 1 − 115.48 / 120.68, as a percentage.
    expect(s.cpuPercent.points).toEqual([{ time: '2024-03-08T08:57:00.000Z', value: 4.31 }]);
    expect(s.hours).toBe(2);
    expect(s.agentInstalled).toBe(true);
    expect(s.publicInboundMbps.unit).toBe('Mbps');
    expect(s.publicInboundMbps.points.length).toBeGreaterThan(10);
    const times = s.publicOutboundMbps.points.map((p) => p.time);
    expect(times).toEqual([...times].sort());
    expect(s.memoryUsedPercent.points.length).toBeGreaterThan(10);
    for (const p of s.memoryUsedPercent.points) expect(p.value).toBeGreaterThan(0);

    const metrics = fake.requests.filter((r) => r.path.startsWith('/v2/monitoring/'));
    expect(metrics.map((r) => r.path.split('/').at(-1)).sort()).toEqual([
      'bandwidth',
      'bandwidth',
      'cpu',
      'memory_available',
      'memory_total',
    ]);
    for (const r of metrics) {
      expect(r.query.host_id).toBe(String(DROPLET_PROD));
      expect(Number(r.query.end) - Number(r.query.start)).toBe(7200);
    }
    const bandwidth = metrics
      .filter((r) => r.path.endsWith('/bandwidth'))
      .map((r) => `${r.query.interface}/${r.query.direction}`);
    expect(bandwidth.sort()).toEqual(['public/inbound', 'public/outbound']);
  });

  it('says memory needs the agent when the droplet has none, and does not ask for it', async () => {
    const out = await call('get_digitalocean_droplet_monitoring', { droplet_id: DROPLET_OFF });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({ agentInstalled: false, memoryUsedPercent: null, hours: 1 });
    expect(String(out.structured?.notes)).toContain('metrics agent');
    expect(fake.requests.some((r) => r.path.includes('memory'))).toBe(false);
  });

  it('refuses a range beyond a week, sending nothing', async () => {
    await expectBadInput('get_digitalocean_droplet_monitoring', { droplet_id: DROPLET_PROD, hours: 169 }, 'hours');
  });

  it('maps an unknown droplet to RESOURCE_NOT_FOUND', async () => {
    const out = await call('get_digitalocean_droplet_monitoring', { droplet_id: 42 });
    expect(out.text).toMatch(/^RESOURCE_NOT_FOUND/);
  });
});

describe('DigitalOcean power tools', () => {
  const confirmReboot = {
    ip_confirmation: '198.51.100.20',
    name_confirmation: 'api-prod-1',
    operation_confirmation: 'reboot',
  };

  it('answers CONFIRMATION_REQUIRED with what to type when the confirmations are missing, sending nothing', async () => {
    const out = await call('reboot_digitalocean_droplet', { droplet_id: DROPLET_PROD });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/^CONFIRMATION_REQUIRED/);
    expect(out.text).toContain('ip_confirmation="198.51.100.20"');
    expect(out.text).toContain('name_confirmation="api-prod-1"');
    expect(out.text).toContain('Tagged as production (env=production)');
    expect(posts()).toHaveLength(0);
  });

  it('answers CONFIRMATION_FAILED with a reason per wrong field, sending nothing', async () => {
    const out = await call('reboot_digitalocean_droplet', {
      droplet_id: DROPLET_PROD,
      ip_confirmation: '198.51.100.21',
      name_confirmation: 'API-PROD-1',
      operation_confirmation: 'power_off',
    });
    expect(out.text).toMatch(/^CONFIRMATION_FAILED/);
    expect(out.text).toContain('ip_confirmation "198.51.100.21"');
    expect(out.text).toContain('name_confirmation "API-PROD-1"');
    expect(out.text).toContain('operation_confirmation "power_off"');
    expect(posts()).toHaveLength(0);
  });

  it('reboots with the three confirmations (a Chinese operation word), re-reading the droplet first', async () => {
    const out = await call('reboot_digitalocean_droplet', {
      droplet_id: DROPLET_PROD,
      ...confirmReboot,
      operation_confirmation: ' 重启 ',
    });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({
      status: 'submitted',
      provider: 'digitalocean',
      instanceId: String(DROPLET_PROD),
      action: 'reboot',
      stateBefore: 'active',
      detail: { type: 'reboot', status: 'in-progress' },
    });
    expect(out.structured?.providerActionId).toMatch(/^\d+$/);
    // The plan read the droplet, the handler read it again, then the one POST.
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v2/droplets/${DROPLET_PROD}`,
      `GET /v2/droplets/${DROPLET_PROD}`,
      `POST /v2/droplets/${DROPLET_PROD}/actions`,
    ]);
    expect(JSON.parse(posts()[0]?.body ?? '')).toEqual({ type: 'reboot' });
  });

  it('waits for the action with wait=true, reporting progress, until it completes', async () => {
    const progress: string[] = [];
    const out = await call(
      'power_on_digitalocean_droplet',
      {
        droplet_id: DROPLET_OFF,
        wait: true,
        ip_confirmation: '198.51.100.21',
        name_confirmation: 'staging-web',
        operation_confirmation: '开机',
      },
      conn,
      { onprogress: (p: { message?: string }) => progress.push(p.message ?? '') },
    );
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({ action: 'power_on', stateBefore: 'off', detail: { status: 'completed' } });
    expect(progress.at(-1)).toMatch(/power_on: completed$/);
    expect(fake.requests.some((r) => /^\/v2\/actions\/\d+$/.test(r.path))).toBe(true);
    expect(fake.droplet(DROPLET_OFF)?.status).toBe('active');
  });

  it('returns the action still in progress when waiting runs out of time, without failing', async () => {
    const slow = await startDo({ actionDelayMs: 60_000 });
    // A 6 s tool timeout leaves 1 s of waiting.
    const hurried = await connectInMemory(multicloudServer, {
      settings: settingsFor(slow.url, { toolTimeoutMs: 6000 }),
    });
    try {
      const out = await call(
        'reboot_digitalocean_droplet',
        { droplet_id: DROPLET_PROD, wait: true, ...confirmReboot },
        hurried,
      );
      expect(out.isError, out.text).toBe(false);
      expect(out.structured).toMatchObject({ status: 'submitted', detail: { status: 'in-progress' } });
      expect(slow.requests.filter((r) => /^\/v2\/actions\/\d+$/.test(r.path)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await hurried.close();
      await slow.stop();
    }
  });

  it('refuses an action the state does not allow before sending it', async () => {
    const on = await call('power_on_digitalocean_droplet', {
      droplet_id: DROPLET_PROD,
      ip_confirmation: '198.51.100.20',
      name_confirmation: 'api-prod-1',
      operation_confirmation: 'power_on',
    });
    expect(on.text).toMatch(/^OPERATION_NOT_SUPPORTED: .*already running/);
    const shutdown = await call('shutdown_digitalocean_droplet', { droplet_id: DROPLET_OFF });
    expect(shutdown.text).toMatch(/^OPERATION_NOT_SUPPORTED: .*not running/);
    expect(posts()).toHaveLength(0);
  });

  it('confirms a droplet without a public IP by its id', async () => {
    const ask = await call('power_off_digitalocean_droplet', { droplet_id: DROPLET_NO_IP });
    expect(ask.text).toContain(`ip_confirmation="${DROPLET_NO_IP}"`);
    const out = await call('power_off_digitalocean_droplet', {
      droplet_id: DROPLET_NO_IP,
      ip_confirmation: String(DROPLET_NO_IP),
      name_confirmation: 'batch-worker',
      operation_confirmation: '强制关机',
    });
    expect(out.isError, out.text).toBe(false);
    expect(JSON.parse(posts()[0]?.body ?? '')).toEqual({ type: 'power_off' });
  });

  it("maps a 422 pending event to OPERATION_NOT_SUPPORTED with DigitalOcean's message", async () => {
    fake.failNext({
      match: /^POST /,
      status: 422,
      body: { id: 'unprocessable_entity', message: 'Droplet already has a pending event.' },
    });
    const out = await call('reboot_digitalocean_droplet', { droplet_id: DROPLET_PROD, ...confirmReboot });
    expect(out.text).toMatch(
      /^OPERATION_NOT_SUPPORTED: DigitalOcean refused POST \/v2\/droplets\/\d+\/actions \(HTTP 422\): Droplet already has a pending event\./,
    );
  });

  it('refuses a droplet id that is not an integer, sending nothing', async () => {
    await expectBadInput('reboot_digitalocean_droplet', { droplet_id: 4.5, ...confirmReboot }, 'droplet_id');
  });

  it('asks through elicitation when the client can: accept runs it, decline does not', async () => {
    const messages: string[] = [];
    let answer: 'accept' | 'decline' = 'decline';
    const asking = await connectInMemory(multicloudServer, {
      settings: settingsFor(fake.url),
      onElicit: (message) => {
        messages.push(message);
        return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
      },
    });
    try {
      const declined = await call('reboot_digitalocean_droplet', { droplet_id: DROPLET_PROD }, asking);
      expect(declined.text).toMatch(/^CONFIRMATION_FAILED/);
      expect(messages[0]).toContain('api-prod-1');
      expect(messages[0]).toContain('198.51.100.20');
      expect(posts()).toHaveLength(0);

      answer = 'accept';
      const accepted = await call('reboot_digitalocean_droplet', { droplet_id: DROPLET_PROD }, asking);
      expect(accepted.isError, accepted.text).toBe(false);
      expect(posts()).toHaveLength(1);
    } finally {
      await asking.close();
    }
  });

  it('re-reads the droplet after the user agreed: a droplet turned off meanwhile is not rebooted', async () => {
    const asking = await connectInMemory(multicloudServer, {
      settings: settingsFor(fake.url),
      onElicit: () => {
        // Someone powers the droplet off while the user reads the question.
        fake.droplet(DROPLET_PROD).status = 'off';
        return { action: 'accept', content: { confirm: true } };
      },
    });
    try {
      const out = await call('reboot_digitalocean_droplet', { droplet_id: DROPLET_PROD }, asking);
      expect(out.text).toMatch(/^OPERATION_NOT_SUPPORTED: .*not running/);
      expect(posts()).toHaveLength(0);
    } finally {
      await asking.close();
    }
  });
});

describe('secrets', () => {
  it('never shows the DigitalOcean token in any result or error of this file', () => {
    expect(seen.length).toBeGreaterThan(30);
    for (const text of seen) expect(text).not.toContain(DO_TOKEN);
  });
});

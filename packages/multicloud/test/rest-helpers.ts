import { DigitalOceanClient } from '../src/providers/digitalocean/client.js';
import { VultrClient } from '../src/providers/vultr/client.js';
import { type FakeDigitalOceanOptions, startFakeDigitalOcean } from '../src/sandbox/digitalocean-fake.js';
import { type FakeIpinfoOptions, startFakeIpinfo } from '../src/sandbox/ipinfo-fake.js';
import { type FakeVultrOptions, startFakeVultr } from '../src/sandbox/vultr-fake.js';

/** Test credentials; each is long and distinctive so a leak into any output is easy to spot. */
export const DO_TOKEN = 'dop_v1_testtoken0123456789abcdef0123456789abcdef0123456789abcdef01';
export const VULTR_KEY = 'VULTRTESTKEY0123456789ABCDEFGHIJKLMN';
export const IPINFO_TOKEN = 'ipinfotesttoken42';

export const DROPLET_PROD = 401234567; // api-prod-1, env:production, active, 198.51.100.20
export const DROPLET_OFF = 401234568; // staging-web, off, 198.51.100.21
export const DROPLET_REPLICA = 401234569; // db-replica, active, 198.51.100.22, reserved 198.51.100.50
export const DROPLET_NO_IP = 401234570; // batch-worker, active, private only
export const DROPLET_GPU = 401234571; // gpu-trainer, only with type=gpus, 198.51.100.23

export const VULTR_PROD = 'cb676a46-66fd-4dfb-b839-443f2e6c0b60'; // shop-prod, tag production, running, 192.0.2.30
export const VULTR_STOPPED = '5f0c2d1e-8a7b-4c3d-9e2f-1a0b9c8d7e61'; // ci-runner, stopped, 192.0.2.31
export const VULTR_VPN = '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a572'; // vpn-gw, running, 192.0.2.32
export const VULTR_NO_IP = '3c2b1a09-8f7e-4d6c-b5a4-93827160f5e4'; // vpc-worker, running, no public IP

export const startDo = (options: Partial<FakeDigitalOceanOptions> = {}) =>
  startFakeDigitalOcean({ tokens: [DO_TOKEN], actionDelayMs: 300, ...options });
export const startVultr = (options: Partial<FakeVultrOptions> = {}) =>
  startFakeVultr({ apiKeys: [VULTR_KEY], ...options });
export const startIpinfo = (options: FakeIpinfoOptions = {}) => startFakeIpinfo({ tokens: [IPINFO_TOKEN], ...options });

export const doClient = (fake: { url: string }, options: { token?: string; maxRetries?: number } = {}) =>
  new DigitalOceanClient({
    baseUrl: `${fake.url}/v2`,
    token: options.token ?? DO_TOKEN,
    timeoutMs: 2000,
    maxRetries: options.maxRetries ?? 0,
  });

export const vultrClient = (fake: { url: string }, options: { apiKey?: string; maxRetries?: number } = {}) =>
  new VultrClient({
    baseUrl: `${fake.url}/v2`,
    apiKey: options.apiKey ?? VULTR_KEY,
    timeoutMs: 2000,
    maxRetries: options.maxRetries ?? 0,
  });

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown> & Error> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown> & Error;
  }
  throw new Error('expected a rejection');
}

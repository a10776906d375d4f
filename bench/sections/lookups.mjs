// get_instance_info by IP across several clouds: the multicloud server looks an address up in
// every configured provider's inventory at once, so with four providers it should take about as
// long as the slowest one alone (concurrent), not their sum (sequential). Each provider's fake
// sits behind a proxy that adds a fixed delay per request, the network latency a real API has.
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../lib/stats.mjs';
import { startStdio } from '../lib/stdio-client.mjs';
import { stdioTarget } from '../targets.mjs';

/** Per-request delay of each provider's API, ms: Vultr the slowest. */
const DELAYS = { aws: 30, alibaba: 40, digitalocean: 20, vultr: 60 };
/** An address of the sandbox's Vultr inventory, so every provider answers and Vultr finds it. */
const ADDRESS = '192.0.2.30';

/** Forwards every request to `target` after `delayMs`, headers untouched (signatures still verify). */
function startDelayProxy(target, delayMs) {
  const url = new URL(target);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const out = httpRequest(
          { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on('error', () => res.writeHead(502).end());
        out.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The env that points the server at the (delayed) fakes of `providers`, with their keys. */
function envFor(settings, proxies, providers) {
  const env = { IPINFO_API_URL: settings.ipinfoApiUrl, MULTICLOUD_MAX_RETRIES: '0' };
  if (providers.includes('aws')) {
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: settings.awsAccessKeyId,
      AWS_SECRET_ACCESS_KEY: settings.awsSecretAccessKey,
      AWS_DEFAULT_REGION: settings.awsRegion,
      AWS_REGIONS: settings.awsRegions.join(','),
      AWS_ENDPOINT_URL_EC2: proxies.aws.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: proxies.aws.url,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    });
  }
  if (providers.includes('alibaba')) {
    Object.assign(env, {
      ALIBABA_CLOUD_ACCESS_KEY_ID: settings.alibabaAccessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: settings.alibabaAccessKeySecret,
      ALIBABA_CLOUD_REGION_ID: settings.alibabaRegion,
      ALIBABA_CLOUD_REGIONS: settings.alibabaRegions.join(','),
      ALIBABA_CLOUD_ECS_ENDPOINT: proxies.alibaba.url,
    });
  }
  if (providers.includes('digitalocean')) {
    Object.assign(env, {
      DIGITALOCEAN_TOKEN: settings.digitaloceanToken,
      DIGITALOCEAN_API_URL: `${proxies.digitalocean.url}/v2`,
    });
  }
  if (providers.includes('vultr')) {
    Object.assign(env, { VULTR_API_KEY: settings.vultrApiKey, VULTR_API_URL: `${proxies.vultr.url}/v2` });
  }
  return env;
}

/**
 * Median time of get_instance_info(ADDRESS). With one provider configured the address may be in
 * another cloud: the search of that provider's whole inventory is timed all the same.
 */
async function timeLookups(server, env, runs, { mustFind }) {
  const target = stdioTarget(server.id, server.bin, [], env);
  const client = startStdio(target.command, target.args, { env: target.env });
  try {
    await client.initialize();
    // The first call loads the SDKs; it is not what a lookup costs.
    const warm = await client.request('tools/call', { name: 'get_instance_info', arguments: { ip_address: ADDRESS } });
    if (mustFind && warm.isError) throw new Error(`get_instance_info failed: ${warm.content?.[0]?.text}`);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const result = await client.request('tools/call', {
        name: 'get_instance_info',
        arguments: { ip_address: ADDRESS },
      });
      times.push(performance.now() - started);
      if (mustFind && result.isError) throw new Error(`get_instance_info failed: ${result.content?.[0]?.text}`);
    }
    return median(times);
  } finally {
    await client.close();
  }
}

export async function measureLookups(server, { runs }) {
  const sandboxModule = pathToFileURL(join(server.bin, '..', 'sandbox/index.js')).href;
  const { startSandbox } = await import(sandboxModule);
  const sandbox = await startSandbox({ info() {} });
  const s = sandbox.settings;
  const proxies = {
    aws: await startDelayProxy(s.awsEc2Endpoint, DELAYS.aws),
    alibaba: await startDelayProxy(s.alibabaEcsEndpoint, DELAYS.alibaba),
    digitalocean: await startDelayProxy(s.digitaloceanApiUrl.replace(/\/v2$/, ''), DELAYS.digitalocean),
    vultr: await startDelayProxy(s.vultrApiUrl.replace(/\/v2$/, ''), DELAYS.vultr),
  };
  try {
    const single = {};
    for (const provider of Object.keys(DELAYS)) {
      single[provider] = await timeLookups(server, envFor(s, proxies, [provider]), runs, { mustFind: false });
    }
    const all = await timeLookups(server, envFor(s, proxies, Object.keys(DELAYS)), runs, { mustFind: true });
    const slowest = Math.max(...Object.values(single));
    const sum = Object.values(single).reduce((a, b) => a + b, 0);
    return {
      address: ADDRESS,
      delaysMs: DELAYS,
      singleProviderP50Ms: single,
      allProvidersP50Ms: all,
      slowestSingleP50Ms: slowest,
      sumOfSinglesP50Ms: sum,
      ratioToSlowest: all / slowest,
    };
  } finally {
    await Promise.all(Object.values(proxies).map((p) => p.stop()));
    await sandbox.stop();
  }
}

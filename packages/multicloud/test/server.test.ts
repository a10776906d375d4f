import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { callTool, connectInMemory, expectToolTable, runTransportContract, spawnBin } from '@opsmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { createMulticloudServer, multicloudServer, multicloudTools } from '../src/index.js';
import { ALI_KEY, AWS_KEY, AWS_PROD, ECS_TEST, startAlibaba, startAws } from './cloud-helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const READ_TOOLS = multicloudTools.filter((t) => t.access === 'read').map((t) => t.name);
const WRITE_TOOLS = multicloudTools.filter((t) => t.access !== 'read').map((t) => t.name);

/** Env for a spawned bin: only what it needs, the AWS SDK pointed away from ~/.aws. */
const baseEnv = {
  PATH: process.env.PATH ?? '',
  AWS_CONFIG_FILE: '/nonexistent/opsmcp-multicloud-test/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/opsmcp-multicloud-test/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

describe('tool table', () => {
  it('declares the 30 tools of the original multi-cloud manager with their access and annotations', async () => {
    await expectToolTable(multicloudServer, [
      { name: 'get_instance_info', access: 'read' },
      { name: 'get_instance_by_provider', access: 'read' },
      { name: 'manage_instance_power', access: 'destructive' },
      { name: 'get_supported_providers', access: 'read' },
      { name: 'get_system_status', access: 'read' },
      { name: 'check_provider_availability', access: 'read' },
      { name: 'get_aws_instance_info', access: 'read' },
      { name: 'get_aws_instance_storage_info', access: 'read' },
      { name: 'get_aws_instance_monitoring', access: 'read' },
      { name: 'list_aws_instances', access: 'read' },
      { name: 'get_digitalocean_droplet_info', access: 'read' },
      { name: 'power_on_digitalocean_droplet', access: 'write' },
      { name: 'power_off_digitalocean_droplet', access: 'destructive' },
      { name: 'shutdown_digitalocean_droplet', access: 'destructive' },
      { name: 'reboot_digitalocean_droplet', access: 'destructive' },
      { name: 'list_digitalocean_droplets', access: 'read' },
      { name: 'get_digitalocean_droplet_monitoring', access: 'read' },
      { name: 'get_digitalocean_droplet_actions', access: 'read' },
      { name: 'get_vultr_instance_info', access: 'read' },
      { name: 'power_on_vultr_instance', access: 'write' },
      { name: 'power_off_vultr_instance', access: 'destructive' },
      { name: 'reboot_vultr_instance', access: 'destructive' },
      { name: 'list_vultr_instances', access: 'read' },
      { name: 'get_vultr_instance_bandwidth', access: 'read' },
      { name: 'get_alibaba_instance_info', access: 'read' },
      { name: 'power_on_alibaba_instance', access: 'write' },
      { name: 'power_off_alibaba_instance', access: 'destructive' },
      { name: 'reboot_alibaba_instance', access: 'destructive' },
      { name: 'list_alibaba_instances', access: 'read' },
      { name: 'get_alibaba_instance_monitoring', access: 'read' },
    ]);
    expect(multicloudTools).toHaveLength(30);
  });

  it('has no tool that deletes anything and every power tool confirms with the three fields', () => {
    for (const tool of multicloudTools) expect(tool.name).not.toMatch(/delete|destroy|terminate|release/);
    for (const tool of multicloudTools.filter((t) => t.access !== 'read')) {
      expect(tool.confirm, tool.name).toBeTypeOf('function');
      expect(Object.keys(tool.confirmArguments?.shape ?? {}).sort(), tool.name).toEqual([
        'ip_confirmation',
        'name_confirmation',
        'operation_confirmation',
      ]);
    }
  });

  it('hides the power tools by default and names them in the instructions', async () => {
    const conn = await connectInMemory(multicloudServer);
    try {
      const names = (await conn.client.listTools()).tools.map((t) => t.name);
      expect(names.sort()).toEqual([...READ_TOOLS].sort());
      const instructions = conn.client.getInstructions() ?? '';
      for (const name of WRITE_TOOLS) expect(instructions).toContain(name);
    } finally {
      await conn.close();
    }
  });

  it('exposes only the asked toolsets (--toolsets aws,vultr)', async () => {
    const conn = await connectInMemory(multicloudServer, { argv: ['--toolsets', 'aws,vultr'] });
    try {
      const names = (await conn.client.listTools()).tools.map((t) => t.name);
      expect(names.sort()).toEqual(
        multicloudTools
          .filter((t) => t.access === 'read' && (t.toolset === 'aws' || t.toolset === 'vultr'))
          .map((t) => t.name)
          .sort(),
      );
    } finally {
      await conn.close();
    }
  });
});

describe('configuration', () => {
  it('lists the tools without any credentials; a provider tool then names its variables', async () => {
    const conn = await connectInMemory(multicloudServer);
    try {
      expect((await conn.client.listTools()).tools.length).toBe(READ_TOOLS.length);
      const r = await callTool(conn.client, 'list_alibaba_instances', {});
      expect(r.text).toContain('PROVIDER_NOT_AVAILABLE');
      expect(r.text).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID');
    } finally {
      await conn.close();
    }
  });

  it('reads AWS_DEFAULT_REGION, AWS_REGIONS and the endpoint overrides from the environment', async () => {
    const aws = await startAws();
    const conn = await connectInMemory(multicloudServer, {
      env: {
        AWS_ACCESS_KEY_ID: AWS_KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: AWS_KEY.secretAccessKey,
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_REGIONS: 'eu-west-1, us-east-1',
        AWS_ENDPOINT_URL_EC2: aws.url,
        MULTICLOUD_MAX_RETRIES: '0',
      },
    });
    try {
      const listed = await callTool(conn.client, 'list_aws_instances', {});
      expect(listed.structured).toMatchObject({ region: 'eu-west-1' });
      expect(aws.requests[0]?.region).toBe('eu-west-1');
    } finally {
      await conn.close();
      await aws.stop();
    }
  });

  it('refuses a malformed endpoint or region list at startup', async () => {
    await expect(createMulticloudServer({ settings: { alibabaEcsEndpoint: 'ecs.example.com' } })).rejects.toThrow(
      /ALIBABA_CLOUD_ECS_ENDPOINT|alibabaEcsEndpoint|alibaba-ecs-endpoint/,
    );
    await expect(createMulticloudServer({ env: { AWS_REGIONS: 'us-east-1,Not A Region' } })).rejects.toThrow(
      /AWS_REGIONS/,
    );
  });

  it('reports which providers are configured in /health, never a value', () => {
    const health = multicloudServer.health?.({
      awsAccessKeyId: AWS_KEY.accessKeyId,
      awsSecretAccessKey: AWS_KEY.secretAccessKey,
    } as never);
    expect(health).toEqual({
      providers: { aws: 'configured', digitalocean: 'absent', vultr: 'absent', alibaba: 'absent' },
    });
    expect(JSON.stringify(health)).not.toContain(AWS_KEY.accessKeyId);
  });
});

runTransportContract(multicloudServer, {
  settings: { sandbox: true },
  call: { name: 'get_system_status' },
  bin: BIN,
  binArgs: ['--sandbox'],
});

describe('the built bin', () => {
  it('serves a stdio client against the fakes with env credentials, logging no secret', async () => {
    const [aws, alibaba] = await Promise.all([startAws(), startAlibaba()]);
    const spawned = await spawnBin(BIN, {
      env: {
        ...baseEnv,
        AWS_ACCESS_KEY_ID: AWS_KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: AWS_KEY.secretAccessKey,
        AWS_ENDPOINT_URL_EC2: aws.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: ALI_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALI_KEY.accessKeySecret,
        ALIBABA_CLOUD_ECS_ENDPOINT: alibaba.url,
        MCP_LOG_LEVEL: 'debug',
      },
    });
    try {
      const a = await callTool(spawned.client, 'get_aws_instance_info', { ip_address_or_id: AWS_PROD });
      expect(a.isError, a.text).toBe(false);
      const b = await callTool(spawned.client, 'get_alibaba_instance_info', { ip_address_or_id: ECS_TEST });
      expect(b.isError, b.text).toBe(false);
      expect(spawned.stderr()).not.toContain(AWS_KEY.secretAccessKey);
      expect(spawned.stderr()).not.toContain(ALI_KEY.accessKeySecret);
    } finally {
      await spawned.close();
      await Promise.all([aws.stop(), alibaba.stop()]);
    }
  }, 30_000);

  it('--check reads from each configured provider: 0 when they answer, 1 with the reason', async () => {
    const [aws, alibaba] = await Promise.all([startAws(), startAlibaba()]);
    const run = (awsSecret: string) =>
      promisify(execFile)(process.execPath, [BIN, '--check'], {
        env: {
          ...baseEnv,
          AWS_ACCESS_KEY_ID: AWS_KEY.accessKeyId,
          AWS_SECRET_ACCESS_KEY: awsSecret,
          AWS_ENDPOINT_URL_EC2: aws.url,
          ALIBABA_CLOUD_ACCESS_KEY_ID: ALI_KEY.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALI_KEY.accessKeySecret,
          ALIBABA_CLOUD_ECS_ENDPOINT: alibaba.url,
          MULTICLOUD_MAX_RETRIES: '0',
        },
      }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    try {
      const ok = await run(AWS_KEY.secretAccessKey);
      expect(ok.code, ok.out).toBe(0);
      expect(ok.out).toContain('AWS: ok');
      expect(ok.out).toContain('Alibaba Cloud ECS: ok');
      expect(ok.out).toContain('DigitalOcean: not configured');
      const bad = await run('wrong-secret-for-the-check-0123');
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('AWS: INVALID_CREDENTIALS');
      expect(bad.out).not.toContain('wrong-secret-for-the-check-0123');
    } finally {
      await Promise.all([aws.stop(), alibaba.stop()]);
    }
  }, 30_000);

  it('starts and lists its tools without importing the AWS or Alibaba SDKs', async () => {
    // A resolve hook that fails every import of the cloud SDKs: startup and tools/list must not need them.
    const hook = `export async function resolve(specifier, context, next) {
      if (/^@(aws-sdk|alicloud)\\//.test(specifier)) throw new Error('cloud SDK imported: ' + specifier);
      return next(specifier, context);
    }`;
    const script = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      const { InMemoryTransport } = await import('@modelcontextprotocol/sdk/inMemory.js');
      const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
      const { createMulticloudServer } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const runtime = await createMulticloudServer({ env: {} });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await runtime.connect(serverSide, 'memory');
      const client = new Client({ name: 't', version: '1' });
      await client.connect(clientSide);
      const { tools } = await client.listTools();
      const blocked = await import('@aws-sdk/client-ec2').then(() => 'not blocked', () => 'blocked');
      process.stdout.write(tools.length + ' ' + blocked);
      await client.close();
      await runtime.close();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: baseEnv,
    });
    expect(stdout).toBe(`${READ_TOOLS.length} blocked`);
  }, 30_000);
});

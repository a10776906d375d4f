// The quick-start demo: runs the built servers in sandbox mode (simulated backends, no cloud
// account, no network) through a real MCP client over stdio, the way a desktop client does.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const heading = (s) => console.log(`\n${bold(`== ${s}`)}`);

async function connect(bin, args) {
  const path = `${root}packages/${bin}/dist/bin.js`;
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`pnpm build\` first.`);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path, ...args],
    env: {
      PATH: process.env.PATH ?? '',
      MCP_LOG_LEVEL: 'warn',
      AWS_EC2_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'opsmcp-demo', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** Calls a tool and returns its structured result; a failed call stops the demo with its message. */
async function call(client, name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  const text = result.content.map((c) => c.text ?? '').join('\n');
  if (result.isError) throw new Error(`${name} failed: ${text}`);
  return { data: result.structuredContent, text };
}

async function rocketmq() {
  heading('opsmcp-rocketmq --sandbox  (simulated Volcengine RocketMQ)');
  const client = await connect('rocketmq', ['--sandbox']);
  try {
    const { tools } = await client.listTools();
    console.log(`${tools.length} read-only tools: ${tools.map((t) => t.name).join(', ')}`);
    console.log('(write tools stay hidden until the server runs with --allow-write)');

    const { data: regions } = await call(client, 'DescribeRegions');
    console.log(`\nRegions: ${regions.Regions.map((r) => `${r.RegionId} (${r.RegionName ?? r.RegionId})`).join(', ')}`);

    const { data: instances } = await call(client, 'DescribeInstances', { PageNumber: 1, PageSize: 10 });
    console.log(`\nInstances in the default region (${instances.InstancesInfo.length} of ${instances.Total}):`);
    for (const i of instances.InstancesInfo) {
      console.log(`  ${i.InstanceId}  ${i.InstanceName}  v${i.Version}  ${i.InstanceStatus}`);
    }

    const { data: overview } = await call(client, 'InspectionOverview');
    const byLevel = overview.UnsolvedByLevel;
    console.log(
      `\nInspectionOverview: ${overview.InstanceCount} instances, unsolved findings high ${byLevel.high}, medium ${byLevel.medium}, low ${byLevel.low}`,
    );
    for (const instance of overview.Instances) {
      const top = instance.TopSuggestions[0];
      console.log(
        `  ${instance.InstanceName ?? instance.InstanceId}: inspection ${instance.EnableInspect ? 'on' : 'off'}, ${instance.Unsolved} unsolved${top ? ` — ${top.Level}: ${top.Suggestion}` : ''}`,
      );
    }

    const first = instances.InstancesInfo[0];
    const { data: page } = await call(client, 'GetInstanceInspectResult', {
      InstanceId: first.InstanceId,
      PageNumber: 1,
      PageSize: 3,
      SortOrder: 'DESC',
    });
    console.log(`\nGetInstanceInspectResult ${first.InstanceId}, page 1 (${page.Results.length} of ${page.Total}):`);
    for (const r of page.Results) {
      console.log(`  [${r.Level}] ${r.InspectName} on ${(r.Resource ?? []).join(', ')} — ${r.Status}`);
    }
  } finally {
    await client.close();
  }
}

async function starrocks() {
  const scenario = 'disk-full';
  heading(`opsmcp-starrocks --sandbox --sandbox-scenario ${scenario}  (simulated StarRocks cluster)`);
  const client = await connect('starrocks', ['--sandbox', '--sandbox-scenario', scenario]);
  try {
    const { tools } = await client.listTools();
    console.log(
      `${tools.length} read-only tools, e.g. ${tools
        .slice(0, 5)
        .map((t) => t.name)
        .join(', ')}, …`,
    );
    const started = performance.now();
    const { data, text } = await call(client, 'analyze_system_comprehensive');
    const ms = Math.round(performance.now() - started);
    console.log(`\nanalyze_system_comprehensive (${ms} ms): health ${data.health_score}/100, ${data.level}`);
    console.log(text.split('\n').slice(0, 24).join('\n'));
  } finally {
    await client.close();
  }
}

async function starrocksRemote() {
  heading(
    'opsmcp-starrocks --sandbox --mode remote --transport http  (two tenants, each cluster behind its own agent)',
  );
  const path = `${root}packages/starrocks/dist/bin.js`;
  const child = spawn(process.execPath, [path, '--sandbox', '--mode', 'remote', '--transport', 'http', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', MCP_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    // The central server prints its URL in its "listening" log line.
    const base = await new Promise((resolve, reject) => {
      let seen = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk) => {
        seen += chunk;
        const match = /"url":"(http:\/\/[^"]+)\/mcp"/.exec(seen);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`the central server exited (${code}): ${seen.slice(-500)}`)));
    });
    const get = async (p, tenant, body) => {
      const response = await fetch(`${base}${p}`, {
        method: body ? 'POST' : 'GET',
        headers: {
          ...(tenant ? { 'x-tenant-id': tenant } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return response.json();
    };
    const { tenants } = await get('/tenants');
    console.log(`GET /tenants: ${tenants.map((t) => `${t.id} (${t.name})`).join(', ')}`);
    for (const t of tenants) {
      const agent = await get('/test-agent', t.id);
      console.log(
        `GET /test-agent (${t.id}): ${agent.agent_status}, StarRocks ${agent.database_version}, ${agent.latency_ms} ms`,
      );
    }
    console.log('\nanalyze_system_comprehensive for both tenants at once, over POST /call-tool:');
    const results = await Promise.all(
      tenants.map((t) => get('/call-tool', t.id, { tool: 'analyze_system_comprehensive', arguments: {} })),
    );
    results.forEach((result, i) => {
      if (result.isError)
        throw new Error(`analyze_system_comprehensive for ${tenants[i].id}: ${result.content[0].text}`);
      const d = result.structuredContent;
      const top = d.issues.find((issue) => issue.severity === 'critical') ?? d.issues[0];
      console.log(
        `  ${tenants[i].id}: health ${d.health_score}/100, ${d.level}${top ? ` — ${top.id}: ${top.message}` : ''}`,
      );
    });
    const { tenants: stats } = await get('/admin/stats');
    console.log(
      `\nGET /admin/stats: ${stats.map((s) => `${s.tenant_id} ${s.requests} call(s), ${s.agent_round_trips} agent round trips`).join('; ')}`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
  }
}

async function ack() {
  heading('opsmcp-ack --sandbox  (simulated Alibaba Cloud ACK: CS API, Kubernetes API, logs and metrics)');
  const client = await connect('ack', ['--sandbox']);
  try {
    const { tools } = await client.listTools();
    console.log(
      `${tools.length} read-only tools (kubectl_write and the node pool tools stay hidden until --allow-write)`,
    );
    const { data: clusters } = await call(client, 'list_clusters');
    console.log('\nClusters:');
    for (const c of clusters.clusters) console.log(`  ${c.cluster_id}  ${c.cluster_name}  ${c.state}  ${c.region_id}`);
    const clusterId = clusters.clusters[0].cluster_id;

    const { data: pods } = await call(client, 'kubectl', { cluster_id: clusterId, command: 'get pods -n shop' });
    console.log(`\nkubectl get pods -n shop\n${pods.output.split('\n').slice(0, 10).join('\n')}`);

    const { data: diagnosis } = await call(client, 'diagnose_workload', {
      cluster_id: clusterId,
      namespace: 'shop',
      kind: 'deployment',
      name: 'checkout',
    });
    console.log(`\ndiagnose_workload deployment/checkout: ${diagnosis.verdict}`);
    for (const f of diagnosis.findings.slice(0, 3))
      console.log(`  [${f.severity}] ${f.rule_id}: ${f.title}\n    fix: ${f.fix}`);

    const { data: incident } = await call(client, 'investigate_incident', {
      cluster_id: clusterId,
      namespace: 'shop',
      name: 'coupons',
      since: '1h',
    });
    console.log(`\ninvestigate_incident shop/coupons: ${incident.likely_cause.summary}`);
  } finally {
    await client.close();
  }
}

async function multicloud() {
  heading('opsmcp-multicloud --sandbox --allow-write  (simulated AWS, DigitalOcean, Vultr and Alibaba ECS)');
  const client = await connect('multicloud', ['--sandbox', '--allow-write']);
  try {
    const { tools } = await client.listTools();
    const power = tools.filter((t) => !t.annotations?.readOnlyHint).length;
    console.log(`${tools.length} tools; ${power} power operations are listed because of --allow-write`);
    const ip = '198.51.100.20';
    const { data: found } = await call(client, 'get_instance_info', { ip_address: ip });
    console.log(`
get_instance_info ${ip}: ${JSON.stringify(found).slice(0, 300)}…`);

    // A power operation without confirmation answers with what must be confirmed, and does nothing;
    // the same call with the IP, name and operation retyped goes ahead.
    const reboot = { droplet_id: 401234567 };
    const asked = await client.callTool({ name: 'reboot_digitalocean_droplet', arguments: reboot });
    console.log(
      `\nreboot_digitalocean_droplet, unconfirmed:\n  ${asked.content[0].text.split('\n').slice(0, 4).join('\n  ')}`,
    );
    const { data: done } = await call(client, 'reboot_digitalocean_droplet', {
      ...reboot,
      ip_confirmation: ip,
      name_confirmation: 'api-prod-1',
      operation_confirmation: 'reboot',
    });
    console.log(`confirmed: ${done.status} (action ${done.providerActionId ?? 'n/a'})`);
  } finally {
    await client.close();
  }
}

try {
  await rocketmq();
  await starrocks();
  await starrocksRemote();
  await ack();
  await multicloud();
  console.log('\nAll data above is simulated. Point the servers at real systems with the settings in their READMEs.');
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

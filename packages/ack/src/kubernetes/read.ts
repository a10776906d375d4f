/** The read verbs: get, describe, logs, events, top, api-resources, api-versions, version, cluster-info, explain, rollout status/history. */
import { OpsError, sleep } from '@opsmcp/core';
import { type KubectlCommand, resourceRefs } from './command.js';
import { type ResourceInfo, resolveResource, resourcePath } from './discovery.js';
import { age, alignColumns, formatCpu, formatMemory, type KubeTable, renderTable, toYaml } from './format.js';
import { compileJsonPath } from './jsonpath.js';
import { eventTime, getObject, listPage, masked, namespaceFor, qualifiedName, resolveTargets } from './objects.js';
import { parseQuantity } from './quantity.js';
import type { ExecContext, KubectlResult, KubeList, KubeObject, Verb } from './types.js';

const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

function noResources(ns: string | undefined, all: boolean): string {
  if (all) return 'No resources found';
  return ns ? `No resources found in ${ns} namespace.` : 'No resources found';
}

/** Objects as kubectl's -o json/yaml/jsonpath/name prints them. */
function renderObjects(cmd: KubectlCommand, objects: KubeObject[], single: boolean, ctx: ExecContext): string {
  const data = masked(
    single ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } },
    ctx,
  );
  const output = cmd.flags.output;
  switch (output.kind) {
    case 'json':
      return JSON.stringify(data, null, 4);
    case 'yaml':
      return toYaml(data);
    case 'jsonpath':
      return compileJsonPath(output.template)(data);
    default:
      return '';
  }
}

function tableFromObjects(objects: KubeObject[]): KubeTable {
  return {
    columnDefinitions: [
      { name: 'Name', type: 'string' },
      { name: 'Age', type: 'string' },
    ],
    rows: objects.map((o) => ({
      cells: [o.metadata?.name ?? '', age(o.metadata?.creationTimestamp)],
      object: { metadata: o.metadata ?? {} },
    })),
  };
}

export const get: Verb = async (cmd, ctx) => {
  const { flags } = cmd;
  const discovery = await ctx.discovery();
  const refs = resourceRefs(cmd.args);
  const groups: Array<{ r: ResourceInfo; names: string[] }> = [];
  for (const ref of refs) {
    // A category (`all`) stands for its member types, as kubectl expands it.
    const members = ref.name ? [] : discovery.resources.filter((x) => x.categories.includes(ref.type));
    if (members.length && !discovery.resources.some((x) => x.plural === ref.type || x.shortNames.includes(ref.type))) {
      for (const m of members) if (!groups.some((g) => g.r === m)) groups.push({ r: m, names: [] });
      continue;
    }
    const r = resolveResource(discovery, ref.type);
    let group = groups.find((g) => g.r === r && (ref.name !== undefined) === g.names.length > 0);
    if (!group) {
      group = { r, names: [] };
      groups.push(group);
    }
    if (ref.name) group.names.push(ref.name);
  }
  const listing = groups.some((g) => !g.names.length);
  if (flags.continueToken && (groups.length > 1 || !listing)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      '--continue applies to the list of a single type, e.g. "get pods -n x --continue=<token>".',
    );
  }
  const limit = Math.min(flags.chunkSize ?? ctx.settings.listMaxItems, ctx.settings.listMaxItems);
  const notes: string[] = [];
  let truncated = false;
  let continueToken: string | undefined;
  const severalTypes = groups.length > 1 || cmd.args.some((a) => a.includes('/') || a === 'all');
  const onPage = (
    list: { metadata?: { continue?: string; remainingItemCount?: number } },
    r: ResourceInfo,
    shown: number,
  ) => {
    if (!list.metadata?.continue) return;
    truncated = true;
    continueToken = list.metadata.continue;
    const rest = list.metadata.remainingItemCount;
    notes.push(
      `Showing the first ${shown} ${r.plural}${rest ? ` (${rest} more)` : ''}. Get the next page by running the same command with --continue=${list.metadata.continue}` +
        ' (or narrow it with -l / --field-selector).',
    );
  };
  const missing = (error: unknown) =>
    error instanceof OpsError && error.code === 'RESOURCE_NOT_FOUND' && flags.ignoreNotFound;

  if (flags.output.kind === 'table' || flags.output.kind === 'wide') {
    const blocks: string[] = [];
    for (const { r, names } of groups) {
      const ns = namespaceFor(r, flags);
      const table: KubeTable = { rows: [] };
      if (names.length) {
        for (const name of names) {
          try {
            const res = await ctx.api.request(
              { method: 'GET', path: resourcePath(r, ns, name), accept: TABLE_ACCEPT },
              `get ${qualifiedName(r, name)}`,
            );
            const one = JSON.parse(res.text) as KubeTable & KubeObject;
            const t = one.kind === 'Table' ? one : tableFromObjects([one]);
            table.columnDefinitions ??= t.columnDefinitions;
            table.rows?.push(...(t.rows ?? []));
          } catch (error) {
            if (!missing(error)) throw error;
          }
        }
      } else {
        const res = await ctx.api.request(
          {
            method: 'GET',
            path: resourcePath(r, ns),
            accept: TABLE_ACCEPT,
            query: {
              limit,
              continue: flags.continueToken,
              labelSelector: flags.selector,
              fieldSelector: flags.fieldSelector,
            },
          },
          `list ${r.plural}`,
        );
        const parsed = JSON.parse(res.text) as KubeTable & KubeList;
        const t =
          parsed.kind === 'Table'
            ? parsed
            : { ...tableFromObjects(parsed.items ?? []), metadata: parsed.metadata ?? {} };
        Object.assign(table, t);
        onPage(t, r, t.rows?.length ?? 0);
      }
      if (!table.rows?.length) continue;
      const rows = renderTable(table, {
        wide: flags.output.kind === 'wide',
        showLabels: flags.showLabels,
        withNamespace: flags.allNamespaces && r.namespaced,
        noHeaders: flags.noHeaders,
        ...(severalTypes ? { namePrefix: `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/` } : {}),
      });
      blocks.push(alignColumns(rows));
    }
    const first = groups[0]?.r;
    const output = blocks.length
      ? blocks.join('\n\n')
      : noResources(first ? namespaceFor(first, flags) : undefined, flags.allNamespaces);
    const result: KubectlResult = { output, truncated, notes };
    if (continueToken) result.continue = continueToken;
    return result;
  }

  const objects: KubeObject[] = [];
  for (const { r, names } of groups) {
    const ns = namespaceFor(r, flags);
    if (names.length) {
      for (const name of names) {
        try {
          objects.push({ apiVersion: r.groupVersion, kind: r.kind, ...(await getObject(ctx, r, ns, name)) });
        } catch (error) {
          if (!missing(error)) throw error;
        }
      }
    } else {
      const page = await listPage(ctx, r, ns, {
        limit,
        continueToken: flags.continueToken,
        labelSelector: flags.selector,
        fieldSelector: flags.fieldSelector,
      });
      objects.push(...(page.items ?? []));
      onPage(page, r, page.items?.length ?? 0);
    }
  }
  const single = !listing && refs.length === 1 && objects.length === 1;
  const items = masked(objects, ctx);
  let output: string;
  if (flags.output.kind === 'name') {
    output = objects
      .map((o) => {
        const r = groups.find((g) => g.r.kind === o.kind)?.r;
        return r ? qualifiedName(r, o.metadata?.name ?? '') : `${o.kind?.toLowerCase()}/${o.metadata?.name}`;
      })
      .join('\n');
  } else {
    output = renderObjects(cmd, objects, single, ctx);
  }
  if (!objects.length && flags.output.kind === 'name') output = '';
  const result: KubectlResult = { output, items, truncated, notes };
  if (continueToken) result.continue = continueToken;
  return result;
};

// ---- describe -------------------------------------------------------------------------------

function indent(text: string, by = '  '): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');
}

function mapLines(m: Record<string, string> | undefined, pad: string): string {
  const entries = Object.entries(m ?? {});
  if (!entries.length) return '<none>';
  return entries.map(([k, v], i) => `${i ? pad : ''}${k}${v === undefined ? '' : `=${v}`}`).join('\n');
}

async function eventsFor(ctx: ExecContext, obj: KubeObject): Promise<KubeObject[]> {
  const ns = obj.metadata?.namespace;
  const selector = [`involvedObject.name=${obj.metadata?.name}`];
  if (obj.kind) selector.push(`involvedObject.kind=${obj.kind}`);
  if (ns) selector.push(`involvedObject.namespace=${ns}`);
  const discovery = await ctx.discovery();
  const events = resolveResource(discovery, 'events');
  try {
    const page = await listPage(ctx, events, ns, {
      limit: ctx.settings.listMaxItems,
      fieldSelector: selector.join(','),
    });
    return (page.items ?? []).sort((a, b) => eventTime(a) - eventTime(b));
  } catch (error) {
    if (error instanceof OpsError && error.code === 'PERMISSION_DENIED') return [];
    throw error;
  }
}

function describeObject(obj: KubeObject, events: KubeObject[], now: number): string {
  const md = obj.metadata ?? {};
  const lines: string[] = [];
  const field = (k: string, v: string) => lines.push(`${`${k}:`.padEnd(14)}${v}`);
  field('Name', md.name ?? '');
  if (md.namespace) field('Namespace', md.namespace);
  field('Kind', obj.kind ?? '');
  field('API Version', obj.apiVersion ?? '');
  field('Labels', mapLines(md.labels, ' '.repeat(14)));
  const annotations = Object.fromEntries(
    Object.entries(md.annotations ?? {}).map(([k, v]) => [k, v.length > 200 ? `${v.slice(0, 200)}…` : v]),
  );
  field(
    'Annotations',
    Object.keys(annotations).length
      ? Object.entries(annotations)
          .map(([k, v], i) => `${i ? ' '.repeat(14) : ''}${k}: ${v}`)
          .join('\n')
      : '<none>',
  );
  field(
    'Created',
    md.creationTimestamp ? `${md.creationTimestamp} (${age(md.creationTimestamp, now)} ago)` : '<unknown>',
  );
  const owners = md.ownerReferences ?? [];
  if (owners.length) field('Controlled By', owners.map((o) => `${o.kind}/${o.name}`).join(', '));
  if (obj.kind === 'Secret') {
    field('Type', String(obj.type ?? 'Opaque'));
    lines.push('', 'Data', '====');
    const data = (obj.data ?? {}) as Record<string, string>;
    for (const [k, v] of Object.entries(data)) {
      lines.push(v === '[masked]' ? `${k}:  [masked]` : `${k}:  ${Buffer.from(v, 'base64').length} bytes`);
    }
  } else {
    for (const key of Object.keys(obj)) {
      if (['apiVersion', 'kind', 'metadata'].includes(key)) continue;
      const value = obj[key];
      if (value === undefined || value === null) continue;
      lines.push(`${key[0]?.toUpperCase()}${key.slice(1)}:`);
      lines.push(indent(typeof value === 'object' ? toYaml(value) : String(value)));
    }
  }
  lines.push(`Events:${events.length ? '' : '       <none>'}`);
  if (events.length) {
    const rows = [
      ['Type', 'Reason', 'Age', 'From', 'Message'],
      ['----', '------', '----', '----', '-------'],
    ];
    for (const e of events) {
      const count = Number(e.count ?? 1);
      const when = (e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp) as string | undefined;
      const source = e.source as { component?: string; host?: string } | undefined;
      rows.push([
        String(e.type ?? ''),
        String(e.reason ?? ''),
        `${age(when, now)}${count > 1 ? ` (x${count})` : ''}`,
        String(source?.component ?? e.reportingComponent ?? ''),
        String(e.message ?? '').trim(),
      ]);
    }
    lines.push(indent(alignColumns(rows)));
  }
  return lines.join('\n');
}

const DESCRIBE_MAX = 20;

export const describe: Verb = async (cmd, ctx) => {
  const discovery = await ctx.discovery();
  const refs = resourceRefs(cmd.args);
  const notes: string[] = [];
  let truncated = false;
  const objects: KubeObject[] = [];
  if (refs.every((r) => r.name) || cmd.flags.selector || cmd.flags.fieldSelector) {
    const targets = await resolveTargets(cmd, ctx);
    for (const t of targets.slice(0, DESCRIBE_MAX)) {
      objects.push({
        apiVersion: t.resource.groupVersion,
        kind: t.resource.kind,
        ...(await getObject(ctx, t.resource, t.namespace, t.name)),
      });
    }
    if (targets.length > DESCRIBE_MAX) {
      truncated = true;
      notes.push(`Described the first ${DESCRIBE_MAX} of ${targets.length} objects; name one or narrow the selector.`);
    }
  } else {
    for (const ref of refs) {
      const r = resolveResource(discovery, ref.type);
      const page = await listPage(ctx, r, namespaceFor(r, cmd.flags), { limit: DESCRIBE_MAX });
      objects.push(...(page.items ?? []));
      if (page.metadata?.continue) {
        truncated = true;
        notes.push(`Described the first ${DESCRIBE_MAX} ${r.plural}; name one or use -l to narrow.`);
      }
    }
  }
  const now = ctx.now?.() ?? Date.now();
  const texts: string[] = [];
  for (const obj of objects) {
    const clean = masked(obj, ctx);
    if (clean.metadata) clean.metadata = { ...clean.metadata, managedFields: undefined };
    texts.push(describeObject(clean, await eventsFor(ctx, obj), now));
  }
  return {
    output: texts.join('\n\n\n') || noResources(cmd.flags.namespace ?? 'default', cmd.flags.allNamespaces),
    truncated,
    notes,
  };
};

// ---- logs -----------------------------------------------------------------------------------

interface PodLike extends KubeObject {
  spec?: { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }>; nodeName?: string };
  status?: { phase?: string };
}

async function podForLogs(cmd: KubectlCommand, ctx: ExecContext, namespace: string): Promise<PodLike> {
  const target = cmd.args[0] as string;
  const discovery = await ctx.discovery();
  const pods = resolveResource(discovery, 'pods');
  if (!target.includes('/')) return getObject(ctx, pods, namespace, target) as Promise<PodLike>;
  const [ref] = resourceRefs([target]);
  const r = resolveResource(discovery, ref?.type as string);
  if (r.kind === 'Pod') return getObject(ctx, pods, namespace, ref?.name as string) as Promise<PodLike>;
  const owner = (await getObject(ctx, r, namespace, ref?.name as string)) as KubeObject & {
    spec?: { selector?: { matchLabels?: Record<string, string> } | Record<string, string> };
  };
  const sel = owner.spec?.selector as { matchLabels?: Record<string, string> } | Record<string, string> | undefined;
  const labels = (sel && 'matchLabels' in sel ? sel.matchLabels : (sel as Record<string, string> | undefined)) ?? {};
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (!selector)
    throw new OpsError(
      'INVALID_ARGUMENT',
      `${qualifiedName(r, ref?.name as string)} has no label selector to find its pods.`,
    );
  const page = await listPage(ctx, pods, namespace, { labelSelector: selector, limit: ctx.settings.listMaxItems });
  const list = (page.items ?? []) as PodLike[];
  const pod = list.find((p) => p.status?.phase === 'Running') ?? list[0];
  if (!pod) throw new OpsError('RESOURCE_NOT_FOUND', `${qualifiedName(r, ref?.name as string)} has no pods.`);
  return pod;
}

export const logs: Verb = async (cmd, ctx) => {
  const { flags } = cmd;
  const namespace = flags.namespace ?? 'default';
  const pod = await podForLogs(cmd, ctx, namespace);
  const podName = pod.metadata?.name as string;
  const notes: string[] = [];
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  let container = flags.container;
  if (!container) {
    container = pod.spec?.containers?.[0]?.name;
    if ((pod.spec?.containers?.length ?? 0) > 1) {
      notes.push(
        `Pod ${podName} has several containers (${containers.join(', ')}); showing ${container}. Pick one with -c.`,
      );
    }
  } else if (containers.length && !containers.includes(container)) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      `Container ${container} is not in pod ${podName}; its containers: ${containers.join(', ')}.`,
    );
  }
  if (cmd.args[0]?.includes('/') && !cmd.args[0].startsWith('pod/') && !cmd.args[0].startsWith('pods/')) {
    notes.push(`Showing pod ${podName}, one of the pods of ${cmd.args[0]}.`);
  }
  const tailLines = Math.min(flags.tail ?? ctx.settings.logMaxLines, ctx.settings.logMaxLines);
  const limitBytes = Math.min(flags.limitBytes ?? ctx.settings.logMaxBytes, ctx.settings.logMaxBytes);
  const discovery = await ctx.discovery();
  const pods = resolveResource(discovery, 'pods');
  const res = await ctx.api.request(
    {
      method: 'GET',
      path: resourcePath(pods, namespace, podName, 'log'),
      accept: 'text/plain, */*',
      query: {
        container,
        tailLines,
        limitBytes,
        sinceSeconds: flags.sinceSeconds,
        sinceTime: flags.sinceTime,
        previous: flags.previous || undefined,
        timestamps: flags.timestamps || undefined,
      },
    },
    `logs of pod ${namespace}/${podName}${container ? ` container ${container}` : ''}`,
  );
  const text = res.text;
  const lineCount = text ? text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).length : 0;
  let truncated = false;
  if (Buffer.byteLength(text) >= limitBytes) {
    truncated = true;
    notes.push(
      `The log was cut at ${limitBytes} bytes; ask for fewer lines (--tail) or a shorter window (--since) to see the newest lines in full.`,
    );
  } else if (lineCount >= tailLines) {
    truncated = true;
    notes.push(
      `Showing the last ${tailLines} lines${flags.tail === undefined ? ' (the default bound)' : ''}; older lines exist. Use --since or --tail to choose (at most ${ctx.settings.logMaxLines}).`,
    );
  }
  if (flags.follow) notes.push('-f/--follow: returned the log as it is now; following a stream is not supported.');
  if (!text) notes.push('The log is empty for this selection.');
  return { output: text, truncated, notes };
};

// ---- events ---------------------------------------------------------------------------------

export const events: Verb = async (cmd, ctx) => {
  const { flags } = cmd;
  const discovery = await ctx.discovery();
  const r = resolveResource(discovery, 'events');
  const ns = flags.allNamespaces ? undefined : (flags.namespace ?? 'default');
  const selector: string[] = [];
  if (flags.fieldSelector) selector.push(flags.fieldSelector);
  if (flags.forObject) {
    const [ref] = resourceRefs([flags.forObject]);
    const target = resolveResource(discovery, ref?.type as string);
    selector.push(`involvedObject.kind=${target.kind}`, `involvedObject.name=${ref?.name}`);
  }
  if (flags.eventTypes?.length === 1) selector.push(`type=${flags.eventTypes[0]}`);
  const page = await listPage(ctx, r, ns, {
    limit: ctx.settings.listMaxItems,
    fieldSelector: selector.length ? selector.join(',') : undefined,
  });
  const items = (page.items ?? []).sort((a, b) => eventTime(a) - eventTime(b));
  const notes: string[] = [];
  const truncated = Boolean(page.metadata?.continue);
  if (truncated)
    notes.push(`Showing ${items.length} events (the list bound); narrow with -n, --for or --types=Warning.`);
  if (flags.output.kind !== 'table' && flags.output.kind !== 'wide') {
    const list: KubeList = { apiVersion: 'v1', kind: 'List', items };
    const output =
      flags.output.kind === 'json'
        ? JSON.stringify(list, null, 4)
        : flags.output.kind === 'yaml'
          ? toYaml(list)
          : flags.output.kind === 'jsonpath'
            ? compileJsonPath(flags.output.template)(list)
            : items.map((e) => `event/${e.metadata?.name}`).join('\n');
    return { output, items, truncated, notes };
  }
  if (!items.length)
    return { output: ns ? `No events found in ${ns} namespace.` : 'No events found.', truncated, notes };
  const now = ctx.now?.() ?? Date.now();
  const header = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  if (flags.allNamespaces) header.unshift('NAMESPACE');
  const rows = flags.noHeaders ? [] : [header];
  for (const e of items) {
    const involved = (e.involvedObject ?? {}) as { kind?: string; name?: string };
    const when = (e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp) as string | undefined;
    const row = [
      age(when, now),
      String(e.type ?? ''),
      String(e.reason ?? ''),
      `${(involved.kind ?? '').toLowerCase()}/${involved.name ?? ''}`,
      String(e.message ?? '').trim(),
    ];
    if (flags.allNamespaces) row.unshift(e.metadata?.namespace ?? '');
    rows.push(row);
  }
  return { output: alignColumns(rows), truncated, notes };
};

// ---- top ------------------------------------------------------------------------------------

interface MetricsItem extends KubeObject {
  usage?: { cpu?: string; memory?: string };
  containers?: Array<{ name: string; usage?: { cpu?: string; memory?: string } }>;
}

export const top: Verb = async (cmd, ctx) => {
  const { flags } = cmd;
  const name = cmd.args[0];
  const nodes = cmd.sub === 'nodes';
  const ns = nodes || flags.allNamespaces ? undefined : (flags.namespace ?? 'default');
  let base = '/apis/metrics.k8s.io/v1beta1';
  if (ns) base += `/namespaces/${encodeURIComponent(ns)}`;
  base += nodes ? '/nodes' : '/pods';
  let items: MetricsItem[];
  try {
    if (name)
      items = [
        await ctx.api.json<MetricsItem>(
          { method: 'GET', path: `${base}/${encodeURIComponent(name)}` },
          `metrics of ${name}`,
        ),
      ];
    else
      items =
        (
          await ctx.api.json<KubeList<MetricsItem>>(
            { method: 'GET', path: base, query: { labelSelector: flags.selector } },
            'metrics',
          )
        ).items ?? [];
  } catch (error) {
    if (
      error instanceof OpsError &&
      (error.code === 'RESOURCE_NOT_FOUND' || error.code === 'PROVIDER_NOT_AVAILABLE') &&
      !name
    ) {
      throw new OpsError(
        'OPERATION_NOT_SUPPORTED',
        'The metrics API (metrics.k8s.io) is not available in this cluster.',
        {
          hint: 'Install metrics-server (ACK installs it by default), or query Prometheus instead.',
        },
      );
    }
    throw error;
  }
  const usage = (m: MetricsItem) => {
    if (m.usage) {
      return { cpu: parseQuantity(m.usage.cpu) ?? Number.NaN, memory: parseQuantity(m.usage.memory) ?? Number.NaN };
    }
    let cpu = 0;
    let memory = 0;
    for (const c of m.containers ?? []) {
      cpu += parseQuantity(c.usage?.cpu) ?? 0;
      memory += parseQuantity(c.usage?.memory) ?? 0;
    }
    return { cpu, memory };
  };
  const rowsData = items.map((m) => ({ m, ...usage(m) }));
  if (flags.sortBy) rowsData.sort((a, b) => (flags.sortBy === 'cpu' ? b.cpu - a.cpu : b.memory - a.memory));
  let allocatable = new Map<string, { cpu: number; memory: number }>();
  if (nodes) {
    const discovery = await ctx.discovery();
    const nodeList = await listPage(ctx, resolveResource(discovery, 'nodes'), undefined, {
      limit: ctx.settings.listMaxItems,
    });
    allocatable = new Map(
      (nodeList.items ?? []).map((n) => {
        const a = ((n.status as { allocatable?: Record<string, string> } | undefined)?.allocatable ?? {}) as Record<
          string,
          string
        >;
        return [
          n.metadata?.name ?? '',
          { cpu: parseQuantity(a.cpu) ?? Number.NaN, memory: parseQuantity(a.memory) ?? Number.NaN },
        ];
      }),
    );
  }
  const header = nodes
    ? ['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%']
    : ['NAME', 'CPU(cores)', 'MEMORY(bytes)'];
  if (!nodes && flags.allNamespaces) header.unshift('NAMESPACE');
  const rows = flags.noHeaders ? [] : [header];
  for (const { m, cpu, memory } of rowsData) {
    const row = [m.metadata?.name ?? '', formatCpu(cpu)];
    if (nodes) {
      const a = allocatable.get(m.metadata?.name ?? '');
      row.push(a && a.cpu > 0 ? `${Math.round((cpu / a.cpu) * 100)}%` : '<unknown>');
      row.push(formatMemory(memory), a && a.memory > 0 ? `${Math.round((memory / a.memory) * 100)}%` : '<unknown>');
    } else {
      row.push(formatMemory(memory));
      if (flags.allNamespaces) row.unshift(m.metadata?.namespace ?? '');
    }
    rows.push(row);
  }
  if (!rowsData.length)
    return {
      output: `No ${nodes ? 'node' : 'pod'} metrics found${ns ? ` in ${ns} namespace` : ''}.`,
      truncated: false,
      notes: [],
    };
  return { output: alignColumns(rows), truncated: false, notes: [] };
};

// ---- discovery verbs ------------------------------------------------------------------------

export const apiResources: Verb = async (cmd, ctx) => {
  const { flags } = cmd;
  const discovery = await ctx.discovery();
  let list = discovery.resources;
  if (flags.namespaced !== undefined) list = list.filter((r) => r.namespaced === flags.namespaced);
  if (flags.apiGroup !== undefined) list = list.filter((r) => r.group === flags.apiGroup);
  list = [...list].sort((a, b) => a.group.localeCompare(b.group) || a.plural.localeCompare(b.plural));
  if (flags.output.kind === 'name') {
    return {
      output: list.map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural)).join('\n'),
      truncated: false,
      notes: [],
    };
  }
  const wide = flags.output.kind === 'wide';
  const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'];
  if (wide) header.push('VERBS', 'CATEGORIES');
  const rows = flags.noHeaders ? [] : [header];
  for (const r of list) {
    const row = [r.plural, r.shortNames.join(','), r.groupVersion, String(r.namespaced), r.kind];
    if (wide) row.push(`[${r.verbs.join(' ')}]`, r.categories.join(','));
    rows.push(row);
  }
  return { output: alignColumns(rows), truncated: false, notes: [] };
};

export const apiVersions: Verb = async (_cmd, ctx) => {
  const discovery = await ctx.discovery();
  return { output: [...discovery.groupVersions].sort().join('\n'), truncated: false, notes: [] };
};

export const version: Verb = async (cmd, ctx) => {
  const client = { gitVersion: 'none (opsmcp-ack talks to the API directly; there is no kubectl binary)' };
  if (cmd.flags.client) return { output: `Client Version: ${client.gitVersion}`, truncated: false, notes: [] };
  const server = await ctx.api.json<{ gitVersion?: string; platform?: string; goVersion?: string }>(
    { method: 'GET', path: '/version' },
    'version',
  );
  if (cmd.flags.output.kind === 'json')
    return { output: JSON.stringify({ serverVersion: server }, null, 2), truncated: false, notes: [] };
  if (cmd.flags.output.kind === 'yaml')
    return { output: toYaml({ serverVersion: server }), truncated: false, notes: [] };
  return {
    output: `Client Version: ${client.gitVersion}\nServer Version: ${server.gitVersion ?? 'unknown'}`,
    truncated: false,
    notes: [],
  };
};

export const clusterInfo: Verb = async (_cmd, ctx) => {
  const server = ctx.api.connection.server.toString().replace(/\/$/, '');
  const lines = [`Kubernetes control plane is running at ${server}`];
  const discovery = await ctx.discovery();
  try {
    const page = await listPage(ctx, resolveResource(discovery, 'services'), 'kube-system', {
      limit: 50,
      labelSelector: 'kubernetes.io/cluster-service=true',
    });
    for (const svc of page.items ?? []) {
      const name = svc.metadata?.labels?.['kubernetes.io/name'] ?? svc.metadata?.name;
      const port = ((svc.spec as { ports?: Array<{ name?: string; port?: number }> } | undefined)?.ports ?? [])[0];
      const portPart = port ? `:${port.name ?? port.port}` : '';
      lines.push(
        `${name} is running at ${server}/api/v1/namespaces/kube-system/services/${svc.metadata?.name}${portPart}/proxy`,
      );
    }
  } catch (error) {
    if (!(error instanceof OpsError && error.code === 'PERMISSION_DENIED')) throw error;
  }
  return { output: lines.join('\n'), truncated: false, notes: [] };
};

// ---- explain --------------------------------------------------------------------------------

interface SchemaObject {
  description?: string;
  type?: string;
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  $ref?: string;
  allOf?: SchemaObject[];
  required?: string[];
  additionalProperties?: SchemaObject | boolean;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
}

export const explain: Verb = async (cmd, ctx) => {
  const [typeName, ...fieldPath] = (cmd.args[0] as string).split('.');
  const discovery = await ctx.discovery();
  const r = resolveResource(discovery, typeName as string);
  let index: { paths?: Record<string, { serverRelativeURL?: string }> };
  try {
    index = await ctx.api.json({ method: 'GET', path: '/openapi/v3' }, 'openapi index');
  } catch (error) {
    if (error instanceof OpsError && (error.code === 'RESOURCE_NOT_FOUND' || error.code === 'PERMISSION_DENIED')) {
      throw new OpsError(
        'OPERATION_NOT_SUPPORTED',
        'This API server does not serve OpenAPI v3 (/openapi/v3), which explain reads.',
        {
          hint: 'Use "get <type> <name> -o yaml" to see an object\'s fields.',
        },
      );
    }
    throw error;
  }
  const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
  const rel = index.paths?.[key]?.serverRelativeURL;
  if (!rel)
    throw new OpsError(
      'OPERATION_NOT_SUPPORTED',
      `The API server publishes no OpenAPI v3 document for ${r.groupVersion}.`,
    );
  const url = new URL(rel, 'http://x');
  const query = Object.fromEntries(url.searchParams.entries());
  const doc = await ctx.api.json<{ components?: { schemas?: Record<string, SchemaObject> } }>(
    { method: 'GET', path: url.pathname, query },
    `openapi ${key}`,
  );
  const schemas = doc.components?.schemas ?? {};
  const deref = (s: SchemaObject | undefined): SchemaObject | undefined => {
    let cur = s;
    for (let i = 0; i < 10 && cur; i++) {
      const ref = cur.$ref ?? cur.allOf?.[0]?.$ref;
      if (!ref) return cur;
      const target = schemas[ref.replace('#/components/schemas/', '')];
      cur = target ? { ...target, description: cur.description ?? target.description } : undefined;
    }
    return cur;
  };
  let schema = deref(
    Object.values(schemas).find((s) =>
      s['x-kubernetes-group-version-kind']?.some(
        (g) => g.kind === r.kind && g.group === r.group && g.version === r.version,
      ),
    ),
  );
  if (!schema) throw new OpsError('OPERATION_NOT_SUPPORTED', `The OpenAPI document has no schema for ${r.kind}.`);
  for (const f of fieldPath) {
    const next: SchemaObject | undefined = schema?.properties?.[f] ?? deref(schema?.items)?.properties?.[f];
    if (!next) throw new OpsError('INVALID_ARGUMENT', `field "${f}" does not exist in ${cmd.args[0]}.`);
    schema = deref(
      next.items ? { ...next, ...deref(next.items), description: next.description, type: next.type } : next,
    );
  }
  const typeOf = (s: SchemaObject | undefined): string => {
    const d = deref(s);
    if (!d) return 'Object';
    if (d.type === 'array') return `[]${typeOf(d.items)}`;
    if (d.type) return d.type === 'object' && d.properties ? 'Object' : d.type;
    return 'Object';
  };
  const lines = [`KIND:       ${r.kind}`, `VERSION:    ${r.groupVersion}`, ''];
  if (fieldPath.length) lines.push(`FIELD: ${fieldPath[fieldPath.length - 1]} <${typeOf(schema)}>`, '');
  lines.push('DESCRIPTION:', indent(schema?.description ?? '<empty>', '    '), '');
  const props = schema?.properties ?? deref(schema?.items)?.properties;
  if (props) {
    lines.push('FIELDS:');
    const required = new Set(schema?.required ?? []);
    for (const [name, p] of Object.entries(props)) {
      lines.push(`  ${name}\t<${typeOf(p)}>${required.has(name) ? ' -required-' : ''}`);
      const desc = (p.description ?? deref(p)?.description ?? '').split('\n')[0];
      if (desc) lines.push(`    ${desc}`);
      lines.push('');
    }
  }
  return { output: lines.join('\n').trimEnd(), truncated: false, notes: [] };
};

// ---- rollout status / history -----------------------------------------------------------------

interface Workload extends KubeObject {
  spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> }; updateStrategy?: { type?: string } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    currentReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
  };
}

/** kubectl's rollout status logic: the message and whether the rollout is done. */
export function rolloutState(obj: Workload): { done: boolean; message: string; failed?: boolean } {
  const name = obj.metadata?.name;
  const st = obj.status ?? {};
  const generation = obj.metadata?.generation ?? 0;
  if ((st.observedGeneration ?? 0) < generation) {
    return { done: false, message: `Waiting for ${obj.kind?.toLowerCase()} spec update to be observed...` };
  }
  if (obj.kind === 'Deployment') {
    const progressing = st.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return {
        done: false,
        failed: true,
        message: `deployment "${name}" exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}`,
      };
    }
    const want = obj.spec?.replicas ?? 1;
    const updated = st.updatedReplicas ?? 0;
    if (updated < want)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`,
      };
    if ((st.replicas ?? 0) > updated) {
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...`,
      };
    }
    if ((st.availableReplicas ?? 0) < updated) {
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...`,
      };
    }
    return { done: true, message: `deployment "${name}" successfully rolled out` };
  }
  if (obj.kind === 'StatefulSet') {
    const want = obj.spec?.replicas ?? 1;
    if ((st.readyReplicas ?? 0) < want)
      return { done: false, message: `Waiting for ${want - (st.readyReplicas ?? 0)} pods to be ready...` };
    if (st.updateRevision && st.currentRevision !== st.updateRevision) {
      return {
        done: false,
        message: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...`,
      };
    }
    return {
      done: true,
      message: `statefulset rolling update complete ${st.currentReplicas ?? want} pods at revision ${st.currentRevision ?? ''}...`,
    };
  }
  if (obj.kind === 'DaemonSet') {
    const want = st.desiredNumberScheduled ?? 0;
    if ((st.updatedNumberScheduled ?? 0) < want) {
      return {
        done: false,
        message: `Waiting for daemon set "${name}" rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${want} new pods have been updated...`,
      };
    }
    if ((st.numberAvailable ?? 0) < want) {
      return {
        done: false,
        message: `Waiting for daemon set "${name}" rollout to finish: ${st.numberAvailable ?? 0} of ${want} updated pods are available...`,
      };
    }
    return { done: true, message: `daemon set "${name}" successfully rolled out` };
  }
  throw new OpsError(
    'INVALID_ARGUMENT',
    `rollout status works on deployments, statefulsets and daemonsets, not ${obj.kind}.`,
  );
}

export const rolloutStatus: Verb = async (cmd, ctx) => {
  const [target] = await resolveTargets(cmd, ctx);
  if (!target) throw new OpsError('INVALID_ARGUMENT', 'rollout status needs TYPE/NAME.');
  const waitSeconds = Math.min(cmd.flags.timeoutSeconds ?? 0, ctx.settings.maxWaitSeconds);
  const now = ctx.now ?? Date.now;
  const deadline = now() + waitSeconds * 1000;
  const notes: string[] = [];
  for (;;) {
    const obj = (await getObject(ctx, target.resource, target.namespace, target.name)) as Workload;
    obj.kind ??= target.resource.kind;
    const state = rolloutState(obj);
    if (state.failed)
      throw new OpsError('UPSTREAM_ERROR', state.message, {
        hint: 'describe the deployment and its newest pods to see why; rollout undo returns to the previous revision.',
      });
    if (state.done || now() >= deadline) {
      if (!state.done) {
        notes.push(
          waitSeconds
            ? `Not finished after ${waitSeconds} s; run rollout status again to check.`
            : 'Checked once (no waiting); add --timeout=2m to wait for the rollout to finish.',
        );
      }
      return { output: state.message, truncated: false, notes };
    }
    await sleep(Math.min(2000, Math.max(0, deadline - now())), ctx.api.signal);
  }
};

export async function ownedReplicaSets(ctx: ExecContext, deployment: Workload): Promise<KubeObject[]> {
  const discovery = await ctx.discovery();
  const rs = resolveResource(discovery, 'replicasets.apps');
  const labels = deployment.spec?.selector?.matchLabels ?? {};
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const page = await listPage(ctx, rs, deployment.metadata?.namespace, {
    labelSelector: selector || undefined,
    limit: ctx.settings.listMaxItems,
  });
  return (page.items ?? []).filter((r) => r.metadata?.ownerReferences?.some((o) => o.uid === deployment.metadata?.uid));
}

export const revisionOf = (o: KubeObject) =>
  Number(o.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

export const rolloutHistory: Verb = async (cmd, ctx) => {
  const [target] = await resolveTargets(cmd, ctx);
  if (target?.resource.kind !== 'Deployment')
    throw new OpsError('INVALID_ARGUMENT', 'rollout history works on deployments here.');
  const dep = (await getObject(ctx, target.resource, target.namespace, target.name)) as Workload;
  const sets = (await ownedReplicaSets(ctx, dep)).sort((a, b) => revisionOf(a) - revisionOf(b));
  const rows = [['REVISION', 'CHANGE-CAUSE']];
  for (const s of sets)
    rows.push([String(revisionOf(s)), s.metadata?.annotations?.['kubernetes.io/change-cause'] ?? '<none>']);
  return {
    output: `${qualifiedName(target.resource, target.name)}\n${alignColumns(rows)}`,
    truncated: false,
    notes: [],
  };
};

export type { Workload };
export { TABLE_ACCEPT };

/** The write verbs (apply, create, scale, rollout restart/undo, label, annotate, patch, cordon, uncordon) and the destructive ones (delete, drain). */
import { mapBounded, OpsError, sleep } from '@opsmcp/core';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { type KubectlCommand, parseKeyChanges, validateName, validateNamespace } from './command.js';
import { type Discovery, type ResourceInfo, resolveResource, resourcePath } from './discovery.js';
import { toYaml } from './format.js';
import { compileJsonPath } from './jsonpath.js';
import { getObject, listPage, masked, qualifiedName, resolveTargets, type Target } from './objects.js';
import { ownedReplicaSets, revisionOf, type Workload } from './read.js';
import { KubeApiError } from './rest.js';
import type { ExecContext, KubectlResult, KubeObject, Verb } from './types.js';

export const FIELD_MANAGER = 'opsmcp';
/** At most this many objects in one manifest. */
export const MAX_MANIFEST_OBJECTS = 100;

const dryRunQuery = (cmd: KubectlCommand) => (cmd.flags.dryRun ? { dryRun: 'All' } : {});
const dryRunSuffix = (cmd: KubectlCommand) => (cmd.flags.dryRun ? ' (server dry run)' : '');

/** The objects written, rendered as -o asks (json, yaml, name, jsonpath) or as kubectl's one-line messages. */
function writeResult(
  cmd: KubectlCommand,
  ctx: ExecContext,
  lines: string[],
  objects: KubeObject[],
  notes: string[] = [],
): KubectlResult {
  const items = masked(objects, ctx);
  const out = cmd.flags.output;
  let output = lines.join('\n');
  if (objects.length) {
    const data = items.length === 1 ? items[0] : { apiVersion: 'v1', kind: 'List', items };
    if (out.kind === 'json') output = JSON.stringify(data, null, 4);
    else if (out.kind === 'yaml') output = toYaml(data);
    else if (out.kind === 'jsonpath') output = compileJsonPath(out.template)(data);
  }
  return { output, items, truncated: false, notes };
}

// ---- manifests ------------------------------------------------------------------------------

export interface ManifestObject {
  object: KubeObject;
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string;
}

/** Parses a YAML or JSON manifest (several documents, `kind: List` unrolled) and resolves each object's resource. */
export function parseManifest(
  manifest: string | undefined,
  cmd: KubectlCommand,
  discovery: Discovery,
): ManifestObject[] {
  if (!manifest?.trim()) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      `kubectl ${cmd.verb} needs the objects in the manifest argument (YAML or JSON).`,
    );
  }
  const docs = parseAllDocuments(manifest);
  const raw: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length)
      throw new OpsError('INVALID_ARGUMENT', `The manifest is not valid YAML/JSON: ${doc.errors[0]?.message}`);
    const value = doc.toJS({ maxAliasCount: 50 }) as unknown;
    if (value === null || value === undefined) continue;
    const v = value as KubeObject & { items?: unknown[] };
    if (typeof v === 'object' && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items))
      raw.push(...v.items);
    else raw.push(value);
  }
  if (!raw.length) throw new OpsError('INVALID_ARGUMENT', 'The manifest holds no objects.');
  if (raw.length > MAX_MANIFEST_OBJECTS)
    throw new OpsError(
      'INVALID_ARGUMENT',
      `The manifest holds ${raw.length} objects; at most ${MAX_MANIFEST_OBJECTS} per call.`,
    );
  return raw.map((value, i) => {
    const obj = value as KubeObject;
    const where = `manifest object ${i + 1}`;
    if (typeof obj !== 'object' || Array.isArray(obj) || !obj)
      throw new OpsError('INVALID_ARGUMENT', `${where} is not an object.`);
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      throw new OpsError('INVALID_ARGUMENT', `${where} needs apiVersion and kind.`);
    }
    const name = obj.metadata?.name;
    if (typeof name !== 'string')
      throw new OpsError(
        'INVALID_ARGUMENT',
        `${where} (${obj.kind}) needs metadata.name (generateName is not supported).`,
      );
    validateName(name);
    const [group, version] = obj.apiVersion.includes('/')
      ? (obj.apiVersion.split('/') as [string, string])
      : ['', obj.apiVersion];
    const resource = discovery.resources.find((r) => r.kind === obj.kind && r.group === group) ?? null;
    if (!resource) {
      throw new OpsError('INVALID_ARGUMENT', `${where}: the cluster serves no ${obj.kind} in ${obj.apiVersion}.`, {
        hint: 'Check apiVersion and kind; "api-resources" lists them.',
      });
    }
    const versioned: ResourceInfo = { ...resource, version, groupVersion: obj.apiVersion };
    let namespace: string | undefined;
    if (resource.namespaced) {
      const own = obj.metadata?.namespace;
      if (own && cmd.flags.namespace && own !== cmd.flags.namespace) {
        throw new OpsError(
          'INVALID_ARGUMENT',
          `${where} (${obj.kind}/${name}) is in namespace ${own}, but -n says ${cmd.flags.namespace}.`,
        );
      }
      namespace = validateNamespace(own ?? cmd.flags.namespace ?? 'default');
    }
    return { object: obj, resource: versioned, namespace, name };
  });
}

export const apply: Verb = async (cmd, ctx, manifest) => {
  const objects = parseManifest(manifest, cmd, await ctx.discovery());
  const lines: string[] = [];
  const results: KubeObject[] = [];
  for (const m of objects) {
    const body = {
      ...m.object,
      metadata: { ...m.object.metadata, ...(m.namespace ? { namespace: m.namespace } : {}) },
    };
    const applied = await ctx.api.json<KubeObject>(
      {
        method: 'PATCH',
        path: resourcePath(m.resource, m.namespace, m.name),
        query: { fieldManager: FIELD_MANAGER, force: cmd.flags.forceConflicts, ...dryRunQuery(cmd) },
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify(body),
      },
      `apply ${qualifiedName(m.resource, m.name)}`,
    );
    results.push(applied);
    lines.push(`${qualifiedName(m.resource, m.name)} serverside-applied${dryRunSuffix(cmd)}`);
  }
  return writeResult(cmd, ctx, lines, results);
};

export const create: Verb = async (cmd, ctx, manifest) => {
  const objects = parseManifest(manifest, cmd, await ctx.discovery());
  const lines: string[] = [];
  const results: KubeObject[] = [];
  for (const m of objects) {
    const body = {
      ...m.object,
      metadata: { ...m.object.metadata, ...(m.namespace ? { namespace: m.namespace } : {}) },
    };
    const created = await ctx.api.json<KubeObject>(
      {
        method: 'POST',
        path: resourcePath(m.resource, m.namespace),
        query: { fieldManager: FIELD_MANAGER, ...dryRunQuery(cmd) },
        body: JSON.stringify(body),
      },
      `create ${qualifiedName(m.resource, m.name)}`,
    );
    results.push(created);
    lines.push(`${qualifiedName(m.resource, m.name)} created${dryRunSuffix(cmd)}`);
  }
  return writeResult(cmd, ctx, lines, results);
};

// ---- scale, rollout -------------------------------------------------------------------------

export const scale: Verb = async (cmd, ctx) => {
  const targets = await resolveTargets(cmd, ctx);
  const lines: string[] = [];
  const results: KubeObject[] = [];
  for (const t of targets) {
    if (!t.resource.subresources.includes('scale')) {
      throw new OpsError('INVALID_ARGUMENT', `${t.resource.plural} cannot be scaled (no scale subresource).`);
    }
    const res = await ctx.api.json<KubeObject>(
      {
        method: 'PATCH',
        path: resourcePath(t.resource, t.namespace, t.name, 'scale'),
        query: { fieldManager: FIELD_MANAGER, ...dryRunQuery(cmd) },
        contentType: 'application/merge-patch+json',
        body: JSON.stringify({ spec: { replicas: cmd.flags.replicas } }),
      },
      `scale ${qualifiedName(t.resource, t.name)}`,
    );
    results.push(res);
    lines.push(`${qualifiedName(t.resource, t.name)} scaled${dryRunSuffix(cmd)}`);
  }
  return writeResult(cmd, ctx, lines, results);
};

const ROLLABLE = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export const rolloutRestart: Verb = async (cmd, ctx) => {
  const targets = await resolveTargets(cmd, ctx);
  const lines: string[] = [];
  const now = new Date(ctx.now?.() ?? Date.now()).toISOString();
  for (const t of targets) {
    if (!ROLLABLE.has(t.resource.kind))
      throw new OpsError(
        'INVALID_ARGUMENT',
        `rollout restart works on deployments, statefulsets and daemonsets, not ${t.resource.plural}.`,
      );
    await ctx.api.json(
      {
        method: 'PATCH',
        path: resourcePath(t.resource, t.namespace, t.name),
        query: { fieldManager: FIELD_MANAGER },
        contentType: 'application/strategic-merge-patch+json',
        body: JSON.stringify({
          spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now } } } },
        }),
      },
      `rollout restart ${qualifiedName(t.resource, t.name)}`,
    );
    lines.push(`${qualifiedName(t.resource, t.name)} restarted`);
  }
  return { output: lines.join('\n'), truncated: false, notes: [] };
};

export const rolloutUndo: Verb = async (cmd, ctx) => {
  const [t] = await resolveTargets(cmd, ctx);
  if (t?.resource.kind !== 'Deployment')
    throw new OpsError('INVALID_ARGUMENT', 'rollout undo works on deployments here (TYPE/NAME, e.g. deployment/web).');
  const dep = (await getObject(ctx, t.resource, t.namespace, t.name)) as Workload;
  const current = revisionOf(dep);
  const sets = await ownedReplicaSets(ctx, dep);
  const wanted = cmd.flags.toRevision;
  const target = wanted
    ? sets.find((s) => revisionOf(s) === wanted)
    : sets.filter((s) => revisionOf(s) < current).sort((a, b) => revisionOf(b) - revisionOf(a))[0];
  if (!target) {
    throw new OpsError(
      'RESOURCE_NOT_FOUND',
      wanted
        ? `Revision ${wanted} of ${qualifiedName(t.resource, t.name)} was not found.`
        : `${qualifiedName(t.resource, t.name)} has no previous revision to roll back to.`,
      {
        hint: 'rollout history lists the revisions.',
      },
    );
  }
  const template = structuredClone((target.spec as { template?: KubeObject } | undefined)?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  await ctx.api.json(
    {
      method: 'PATCH',
      path: resourcePath(t.resource, t.namespace, t.name),
      query: { fieldManager: FIELD_MANAGER },
      contentType: 'application/json-patch+json',
      body: JSON.stringify([{ op: 'replace', path: '/spec/template', value: template }]),
    },
    `rollout undo ${qualifiedName(t.resource, t.name)}`,
  );
  return {
    output: `${qualifiedName(t.resource, t.name)} rolled back (to the template of revision ${revisionOf(target)})`,
    truncated: false,
    notes: [],
  };
};

// ---- label, annotate, patch -----------------------------------------------------------------

function splitLabelArgs(args: readonly string[]): { targets: string[]; changes: string[] } {
  const changes = args.filter((a) => a.includes('=') || a.endsWith('-'));
  return { targets: args.filter((a) => !changes.includes(a)), changes };
}

const labelOrAnnotate =
  (kind: 'label' | 'annotation'): Verb =>
  async (cmd, ctx) => {
    const { targets: targetArgs, changes: changeArgs } = splitLabelArgs(cmd.args);
    const changes = parseKeyChanges(changeArgs, kind);
    const targets = await resolveTargets(cmd, ctx, targetArgs);
    const field = kind === 'label' ? 'labels' : 'annotations';
    const lines: string[] = [];
    const results: KubeObject[] = [];
    for (const t of targets) {
      const current = await getObject(ctx, t.resource, t.namespace, t.name);
      const existing = (current.metadata?.[field] ?? {}) as Record<string, string>;
      for (const c of changes) {
        if (c.value !== null && c.key in existing && existing[c.key] !== c.value && !cmd.flags.overwrite) {
          throw new OpsError(
            'INVALID_ARGUMENT',
            `'${c.key}' already has a value (${existing[c.key]}) on ${qualifiedName(t.resource, t.name)}, and --overwrite is false.`,
          );
        }
      }
      const patch = {
        metadata: {
          [field]: Object.fromEntries(changes.map((c) => [c.key, c.value])),
          resourceVersion: current.metadata?.resourceVersion,
        },
      };
      const updated = await ctx.api.json<KubeObject>(
        {
          method: 'PATCH',
          path: resourcePath(t.resource, t.namespace, t.name),
          query: { fieldManager: FIELD_MANAGER, ...dryRunQuery(cmd) },
          contentType: 'application/merge-patch+json',
          body: JSON.stringify(patch),
        },
        `${kind} ${qualifiedName(t.resource, t.name)}`,
      );
      results.push(updated);
      lines.push(
        `${qualifiedName(t.resource, t.name)} ${kind === 'label' ? 'labeled' : 'annotated'}${dryRunSuffix(cmd)}`,
      );
    }
    return writeResult(cmd, ctx, lines, cmd.flags.output.kind === 'table' ? [] : results);
  };

export const label = labelOrAnnotate('label');
export const annotate = labelOrAnnotate('annotation');

const PATCH_TYPES = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
} as const;

export const patch: Verb = async (cmd, ctx) => {
  let body: unknown;
  try {
    body = parseYaml(cmd.flags.patch ?? '');
  } catch (error) {
    throw new OpsError('INVALID_ARGUMENT', `The patch is not valid JSON or YAML: ${(error as Error).message}`);
  }
  if (
    cmd.flags.patchType === 'json'
      ? !Array.isArray(body)
      : typeof body !== 'object' || body === null || Array.isArray(body)
  ) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      cmd.flags.patchType === 'json' ? 'A --type=json patch is a list of operations.' : 'The patch must be an object.',
    );
  }
  const targets = await resolveTargets(cmd, ctx);
  const lines: string[] = [];
  const results: KubeObject[] = [];
  for (const t of targets) {
    const updated = await ctx.api.json<KubeObject>(
      {
        method: 'PATCH',
        path: resourcePath(t.resource, t.namespace, t.name),
        query: { fieldManager: FIELD_MANAGER, ...dryRunQuery(cmd) },
        contentType: PATCH_TYPES[cmd.flags.patchType],
        body: JSON.stringify(body),
      },
      `patch ${qualifiedName(t.resource, t.name)}`,
    );
    results.push(updated);
    lines.push(`${qualifiedName(t.resource, t.name)} patched${dryRunSuffix(cmd)}`);
  }
  return writeResult(cmd, ctx, lines, cmd.flags.output.kind === 'table' ? [] : results);
};

// ---- cordon, uncordon -------------------------------------------------------------------------

async function setUnschedulable(ctx: ExecContext, node: string, value: boolean): Promise<'changed' | 'unchanged'> {
  const nodes = resolveResource(await ctx.discovery(), 'nodes');
  const current = await getObject(ctx, nodes, undefined, node);
  if (Boolean((current.spec as { unschedulable?: boolean } | undefined)?.unschedulable) === value) return 'unchanged';
  await ctx.api.json(
    {
      method: 'PATCH',
      path: resourcePath(nodes, undefined, node),
      query: { fieldManager: FIELD_MANAGER },
      contentType: 'application/merge-patch+json',
      body: JSON.stringify({ spec: { unschedulable: value ? true : null } }),
    },
    `${value ? 'cordon' : 'uncordon'} node/${node}`,
  );
  return 'changed';
}

export const cordon: Verb = async (cmd, ctx) => {
  const node = cmd.args[0] as string;
  const state = await setUnschedulable(ctx, node, true);
  return {
    output: `node/${node} ${state === 'changed' ? 'cordoned' : 'already cordoned'}`,
    truncated: false,
    notes: [],
  };
};

export const uncordon: Verb = async (cmd, ctx) => {
  const node = cmd.args[0] as string;
  const state = await setUnschedulable(ctx, node, false);
  return {
    output: `node/${node} ${state === 'changed' ? 'uncordoned' : 'already uncordoned'}`,
    truncated: false,
    notes: [],
  };
};

// ---- delete ---------------------------------------------------------------------------------

/** The objects a delete would remove, checked to exist (for the confirmation and the call). */
export async function deleteTargets(cmd: KubectlCommand, ctx: ExecContext): Promise<Target[]> {
  const targets = await resolveTargets(cmd, ctx);
  if (!targets.length) throw new OpsError('RESOURCE_NOT_FOUND', 'No objects match; nothing to delete.');
  return targets;
}

export const deleteVerb: Verb = async (cmd, ctx) => {
  const targets = await deleteTargets(cmd, ctx);
  const lines: string[] = [];
  const notes: string[] = [];
  for (const t of targets) {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };
    if (cmd.flags.gracePeriod !== undefined) body.gracePeriodSeconds = cmd.flags.gracePeriod;
    if (cmd.flags.dryRun) body.dryRun = ['All'];
    try {
      await ctx.api.request(
        {
          method: 'DELETE',
          path: resourcePath(t.resource, t.namespace, t.name),
          body: JSON.stringify(body),
          query: dryRunQuery(cmd),
        },
        `delete ${qualifiedName(t.resource, t.name)}`,
      );
      lines.push(
        `${t.resource.kind.toLowerCase()}${t.resource.group ? `.${t.resource.group}` : ''} "${t.name}" deleted${t.namespace ? ` from ${t.namespace} namespace` : ''}${dryRunSuffix(cmd)}`,
      );
    } catch (error) {
      if (error instanceof OpsError && error.code === 'RESOURCE_NOT_FOUND' && cmd.flags.ignoreNotFound) continue;
      if (lines.length) notes.push(`Stopped after ${lines.length} of ${targets.length} deletions.`);
      if (lines.length && error instanceof OpsError) {
        throw new OpsError(error.code, `${error.message}\nAlready done:\n${lines.join('\n')}`, {
          hint: error.hint,
          upstream: error.upstream,
        });
      }
      throw error;
    }
  }
  return { output: lines.join('\n'), truncated: false, notes };
};

// ---- drain ----------------------------------------------------------------------------------

interface DrainPod extends KubeObject {
  spec?: { volumes?: Array<{ emptyDir?: unknown }>; nodeName?: string };
  status?: { phase?: string };
}

export interface DrainPlan {
  node: string;
  evict: DrainPod[];
  skipped: Array<{ pod: string; reason: string }>;
  blockers: Array<{ pod: string; reason: string }>;
}

const podRef = (p: KubeObject) => `${p.metadata?.namespace}/${p.metadata?.name}`;

/** Which pods a drain would evict, skip (DaemonSet, mirror) or refuse to touch without a flag. */
export async function planDrain(cmd: KubectlCommand, ctx: ExecContext): Promise<DrainPlan> {
  const node = cmd.args[0] as string;
  const discovery = await ctx.discovery();
  await getObject(ctx, resolveResource(discovery, 'nodes'), undefined, node);
  const pods = resolveResource(discovery, 'pods');
  const page = await listPage(ctx, pods, undefined, {
    fieldSelector: `spec.nodeName=${node}`,
    limit: ctx.settings.listMaxItems,
  });
  if (page.metadata?.continue)
    throw new OpsError(
      'INVALID_ARGUMENT',
      `Node ${node} runs more than ${ctx.settings.listMaxItems} pods; raise ACK_LIST_MAX_ITEMS to drain it.`,
    );
  const plan: DrainPlan = { node, evict: [], skipped: [], blockers: [] };
  for (const pod of (page.items ?? []) as DrainPod[]) {
    const controller = pod.metadata?.ownerReferences?.find((o) => o.controller);
    if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) {
      plan.skipped.push({ pod: podRef(pod), reason: 'mirror (static) pod' });
    } else if (controller?.kind === 'DaemonSet') {
      if (cmd.flags.ignoreDaemonSets) plan.skipped.push({ pod: podRef(pod), reason: `DaemonSet ${controller.name}` });
      else
        plan.blockers.push({
          pod: podRef(pod),
          reason: `managed by DaemonSet ${controller.name} (add --ignore-daemonsets to skip them)`,
        });
    } else if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      plan.evict.push(pod);
    } else if (!controller && !cmd.flags.force) {
      plan.blockers.push({
        pod: podRef(pod),
        reason: 'not managed by a controller, so it would not come back (add --force to delete it anyway)',
      });
    } else if (pod.spec?.volumes?.some((v) => v.emptyDir) && !cmd.flags.deleteEmptyDirData) {
      plan.blockers.push({
        pod: podRef(pod),
        reason: 'uses emptyDir storage that would be lost (add --delete-emptydir-data)',
      });
    } else {
      plan.evict.push(pod);
    }
  }
  return plan;
}

interface PdbBlock {
  pod: string;
  message: string;
  pdb?: string;
}

/** The PDB a 429 names, from the Status causes ("The disruption budget X needs N healthy pods and has M currently"). */
function pdbFromStatus(error: KubeApiError): { name?: string; message: string } {
  const causes = error.kubeStatus?.details?.causes ?? [];
  const text =
    causes.map((c) => c.message).find((m) => m && /disruption budget/i.test(m)) ??
    error.kubeStatus?.message ??
    error.message;
  const name = /disruption budget ([a-z0-9.-]+)/i.exec(text)?.[1];
  return name ? { name, message: text } : { message: text };
}

export const drain: Verb = async (cmd, ctx) => {
  const node = cmd.args[0] as string;
  const now = ctx.now ?? Date.now;
  const waitSeconds = Math.min(cmd.flags.timeoutSeconds ?? 120, ctx.settings.maxWaitSeconds);
  const deadline = now() + waitSeconds * 1000;
  const plan = await planDrain(cmd, ctx);
  if (plan.blockers.length) {
    throw new OpsError(
      'INVALID_ARGUMENT',
      `Cannot drain node ${node}; nothing was changed. Pods in the way:\n${plan.blockers.map((b) => `- ${b.pod}: ${b.reason}`).join('\n')}`,
    );
  }
  const done: string[] = [];
  const cordoned = await setUnschedulable(ctx, node, true);
  done.push(cordoned === 'changed' ? `node/${node} cordoned` : `node/${node} was already cordoned`);
  const discovery = await ctx.discovery();
  const pods = resolveResource(discovery, 'pods');
  const evicted: string[] = [];
  const blocked = new Map<string, PdbBlock>();
  const retryMs = ctx.retryIntervalMs ?? 5000;
  const total = plan.evict.length;
  await mapBounded(plan.evict, 8, async (pod) => {
    const ns = pod.metadata?.namespace as string;
    const name = pod.metadata?.name as string;
    for (;;) {
      try {
        await ctx.api.request(
          {
            method: 'POST',
            path: resourcePath(pods, ns, name, 'eviction'),
            body: JSON.stringify({
              apiVersion: 'policy/v1',
              kind: 'Eviction',
              metadata: { name, namespace: ns },
              ...(cmd.flags.gracePeriod !== undefined
                ? { deleteOptions: { gracePeriodSeconds: cmd.flags.gracePeriod } }
                : {}),
            }),
          },
          `evict pod ${ns}/${name}`,
        );
        blocked.delete(podRef(pod));
        evicted.push(podRef(pod));
        await ctx.progress?.(evicted.length, total, `evicted ${podRef(pod)}`);
        return;
      } catch (error) {
        if (error instanceof OpsError && error.code === 'RESOURCE_NOT_FOUND') {
          evicted.push(`${podRef(pod)} (already gone)`);
          return;
        }
        if (!(error instanceof KubeApiError) || error.status !== 429) throw error;
        const pdb = pdbFromStatus(error);
        blocked.set(podRef(pod), { pod: podRef(pod), message: pdb.message, ...(pdb.name ? { pdb: pdb.name } : {}) });
        if (now() + retryMs > deadline) return;
        await sleep(retryMs, ctx.api.signal);
      }
    }
  }).catch((error: unknown) => {
    if (error instanceof OpsError) {
      throw new OpsError(
        error.code,
        `${error.message}\nAlready done: ${[...done, ...evicted.map((p) => `evicted ${p}`)].join('; ')}.`,
        { hint: error.hint, upstream: error.upstream },
      );
    }
    throw error;
  });
  const lines = [
    ...done,
    ...evicted.map((p) => `evicted pod ${p}`),
    ...plan.skipped.map((s) => `skipped pod ${s.pod} (${s.reason})`),
  ];
  if (blocked.size) {
    const details: string[] = [];
    for (const b of blocked.values()) {
      let status = '';
      if (b.pdb) {
        const [ns] = b.pod.split('/');
        try {
          const pdbs = resolveResource(discovery, 'poddisruptionbudgets.policy');
          const obj = await getObject(ctx, pdbs, ns, b.pdb);
          const st = (obj.status ?? {}) as {
            currentHealthy?: number;
            desiredHealthy?: number;
            disruptionsAllowed?: number;
            expectedPods?: number;
          };
          status = ` PodDisruptionBudget ${ns}/${b.pdb}: ${st.currentHealthy ?? '?'} healthy pods, ${st.desiredHealthy ?? '?'} needed, ${st.disruptionsAllowed ?? 0} disruptions allowed.`;
        } catch {
          status = '';
        }
      }
      details.push(`- pod ${b.pod}: ${b.message}.${status}`);
    }
    throw new OpsError(
      'TIMEOUT',
      [
        `Drain of node ${node} stopped after ${waitSeconds} s: evictions are blocked by a PodDisruptionBudget.`,
        ...details,
        `Already done: ${lines.join('; ')}.`,
        `The node stays cordoned; ${blocked.size} pod(s) still run on it.`,
      ].join('\n'),
      {
        hint: 'Scale the workload up (or wait until its other pods are healthy) so the budget allows a disruption, then drain again; uncordon the node to undo the cordon.',
        retryable: false,
      },
    );
  }
  const notes = evicted.length
    ? [
        'Evictions were accepted; the pods stop within their termination grace period and their controllers start replacements elsewhere.',
      ]
    : [];
  return { output: `${lines.join('\n')}\nnode/${node} drained`, truncated: false, notes };
};

export const destructiveVerbs: Record<string, Verb> = { delete: deleteVerb, drain };

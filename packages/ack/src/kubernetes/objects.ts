/** Shared steps of the verbs: resolving targets, listing with bounds, naming objects as kubectl does. */
import { OpsError } from '@opsmcp/core';
import { type KubectlCommand, type KubectlFlags, resourceRefs } from './command.js';
import { type ResourceInfo, resolveResource, resourcePath } from './discovery.js';
import { maskSecrets } from './mask.js';
import type { ExecContext, KubeList, KubeObject } from './types.js';

/** The namespace a request goes to: none for cluster-scoped types and -A, else -n or `default`. */
export function namespaceFor(r: ResourceInfo, flags: KubectlFlags): string | undefined {
  if (!r.namespaced || flags.allNamespaces) return undefined;
  return flags.namespace ?? 'default';
}

/** `deployment.apps/web`, `pod/web-0`: how kubectl names an object in its messages. */
export function qualifiedName(r: ResourceInfo, name: string): string {
  return `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/${name}`;
}

export function masked<T>(value: T, ctx: ExecContext): T {
  return ctx.settings.allowSecretData ? value : (maskSecrets(value) as T);
}

export async function getObject(
  ctx: ExecContext,
  r: ResourceInfo,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject> {
  return ctx.api.json<KubeObject>(
    { method: 'GET', path: resourcePath(r, namespace, name) },
    `get ${qualifiedName(r, name)}`,
  );
}

export interface ListOptions {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit: number;
  continueToken?: string | undefined;
}

/** One page of a list, at most `limit` items; kind and apiVersion set on each item as kubectl does. */
export async function listPage(
  ctx: ExecContext,
  r: ResourceInfo,
  namespace: string | undefined,
  options: ListOptions,
): Promise<KubeList> {
  const list = await ctx.api.json<KubeList>(
    {
      method: 'GET',
      path: resourcePath(r, namespace),
      query: {
        limit: options.limit,
        continue: options.continueToken,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      },
    },
    `list ${r.plural}${r.group ? `.${r.group}` : ''}`,
  );
  const items = (list.items ?? []).map((item) => ({ apiVersion: r.groupVersion, kind: r.kind, ...item }));
  return { ...list, items };
}

export interface Target {
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string;
}

/**
 * The objects a command names: TYPE NAME…, TYPE/NAME…, or TYPE with -l / --field-selector
 * (listed, at most listMaxItems). `extraArgs` are left out (label changes, for instance).
 */
export async function resolveTargets(cmd: KubectlCommand, ctx: ExecContext, targetArgs = cmd.args): Promise<Target[]> {
  const discovery = await ctx.discovery();
  const refs = resourceRefs(targetArgs);
  const targets: Target[] = [];
  for (const ref of refs) {
    const r = resolveResource(discovery, ref.type);
    const namespace = r.namespaced ? (cmd.flags.namespace ?? 'default') : undefined;
    if (ref.name) {
      targets.push({ resource: r, namespace, name: ref.name });
      continue;
    }
    if (cmd.flags.selector === undefined && cmd.flags.fieldSelector === undefined) {
      throw new OpsError('INVALID_ARGUMENT', `kubectl ${cmd.verb} ${ref.type} needs names or a selector.`);
    }
    const ns = namespaceFor(r, cmd.flags);
    const page = await listPage(ctx, r, ns, {
      labelSelector: cmd.flags.selector,
      fieldSelector: cmd.flags.fieldSelector,
      limit: ctx.settings.listMaxItems,
    });
    if (page.metadata?.continue) {
      throw new OpsError(
        'INVALID_ARGUMENT',
        `The selector matches more than ${ctx.settings.listMaxItems} ${r.plural}; narrow it so every object can be listed before the change.`,
      );
    }
    for (const item of page.items ?? []) {
      const name = item.metadata?.name;
      if (name) targets.push({ resource: r, namespace: item.metadata?.namespace ?? ns, name });
    }
  }
  return targets;
}

/** Items sorted by a timestamp, oldest first. */
export function eventTime(e: KubeObject): number {
  const t = (e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp) as string | undefined;
  const ms = t ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

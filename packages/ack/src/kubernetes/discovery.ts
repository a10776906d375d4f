/**
 * API discovery (`/api`, `/apis`, each group version's resource list), as kubectl uses it to
 * turn `deploy`, `po`, `deployments.apps` or a CRD's short name into a REST path.
 */
import { mapBounded, OpsError } from '@opsmcp/core';
import type { KubeApi } from './rest.js';

export interface ResourceInfo {
  group: string;
  version: string;
  groupVersion: string;
  kind: string;
  /** The plural resource name, e.g. `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  categories: string[];
  subresources: string[];
}

export interface Discovery {
  resources: ResourceInfo[];
  groupVersions: string[];
}

interface APIResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

interface APIGroupList {
  groups?: Array<{
    name: string;
    versions?: Array<{ groupVersion: string; version: string }>;
    preferredVersion?: { groupVersion: string; version: string };
  }>;
}

/** Groups that hold copies of core kinds (metrics' pods/nodes) rank last when names collide. */
const LOW_PRIORITY_GROUPS = new Set(['metrics.k8s.io', 'events.k8s.io']);

export async function discover(api: KubeApi): Promise<Discovery> {
  const [core, groups] = await Promise.all([
    api.json<{ versions?: string[] }>({ method: 'GET', path: '/api' }, 'discovery /api'),
    api.json<APIGroupList>({ method: 'GET', path: '/apis' }, 'discovery /apis'),
  ]);
  const targets: Array<{ group: string; version: string; path: string; preferred: boolean }> = [];
  for (const v of core.versions ?? ['v1']) targets.push({ group: '', version: v, path: `/api/${v}`, preferred: true });
  const groupVersions = (core.versions ?? ['v1']).slice();
  for (const g of groups.groups ?? []) {
    for (const v of g.versions ?? []) {
      groupVersions.push(v.groupVersion);
      targets.push({
        group: g.name,
        version: v.version,
        path: `/apis/${v.groupVersion}`,
        preferred: (g.preferredVersion?.version ?? g.versions?.[0]?.version) === v.version,
      });
    }
  }
  const lists = await mapBounded(
    targets.filter((t) => t.preferred),
    8,
    async (t) => {
      try {
        const list = await api.json<{ resources?: APIResource[] }>(
          { method: 'GET', path: t.path },
          `discovery ${t.path}`,
        );
        return { t, resources: list.resources ?? [] };
      } catch (error) {
        // One broken aggregated API (a stale metrics-server) must not break every command.
        if (
          error instanceof OpsError &&
          (error.code === 'PROVIDER_NOT_AVAILABLE' ||
            error.code === 'UPSTREAM_ERROR' ||
            error.code === 'RESOURCE_NOT_FOUND')
        ) {
          return { t, resources: [] };
        }
        throw error;
      }
    },
  );
  const resources: ResourceInfo[] = [];
  for (const { t, resources: list } of lists) {
    const subs = new Map<string, string[]>();
    for (const r of list) {
      const slash = r.name.indexOf('/');
      if (slash > 0) {
        const parent = r.name.slice(0, slash);
        subs.set(parent, [...(subs.get(parent) ?? []), r.name.slice(slash + 1)]);
      }
    }
    for (const r of list) {
      if (r.name.includes('/')) continue;
      resources.push({
        group: t.group,
        version: t.version,
        groupVersion: t.group ? `${t.group}/${t.version}` : t.version,
        kind: r.kind,
        plural: r.name,
        singular: r.singularName || r.kind.toLowerCase(),
        namespaced: r.namespaced,
        shortNames: r.shortNames ?? [],
        verbs: r.verbs ?? [],
        categories: r.categories ?? [],
        subresources: subs.get(r.name) ?? [],
      });
    }
  }
  resources.sort((a, b) => rank(a) - rank(b));
  return { resources, groupVersions };
}

function rank(r: ResourceInfo): number {
  if (r.group === '') return 0;
  if (LOW_PRIORITY_GROUPS.has(r.group)) return 2;
  return 1;
}

/** Resolves what a user typed (`po`, `deploy`, `deployments.apps`, `deployments.v1.apps`, a Kind) to a resource. */
export function resolveResource(discovery: Discovery, typed: string): ResourceInfo {
  const t = typed.toLowerCase();
  const byName = (r: ResourceInfo, name: string) =>
    r.plural === name || r.singular === name || r.kind.toLowerCase() === name || r.shortNames.includes(name);
  let found = discovery.resources.find((r) => byName(r, t));
  if (!found && t.includes('.')) {
    const [name, ...rest] = t.split('.');
    const tail = rest.join('.');
    found = discovery.resources.find(
      (r) =>
        byName(r, name as string) &&
        (r.group === tail || `${r.version}.${r.group}` === tail || (tail === r.version && r.group === '')),
    );
  }
  if (!found) {
    throw new OpsError('INVALID_ARGUMENT', `The server does not know the resource type "${typed}".`, {
      hint: 'Run "api-resources" to see the types this cluster serves (CRDs included).',
    });
  }
  return found;
}

/** REST path of a collection or object. */
export function resourcePath(r: ResourceInfo, namespace: string | undefined, name?: string, sub?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.plural}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (sub) p += `/${sub}`;
  return p;
}

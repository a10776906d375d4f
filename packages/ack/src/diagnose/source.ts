import { isOpsError, OpsError } from '@opsmcp/core';
import type { KubeApi } from '../kubernetes/rest.js';
import type {
  KubeEvent,
  LabelSelector,
  Node,
  PersistentVolumeClaim,
  Pod,
  PodMetrics,
  ReplicaSet,
  Workload,
  WorkloadKind,
} from './kube-types.js';

/** What the diagnosis reads from a cluster; every call is a read. */
export interface WorkloadSource {
  /** The workload itself; RESOURCE_NOT_FOUND when it does not exist. */
  getWorkload(kind: WorkloadKind, namespace: string, name: string): Promise<Workload>;
  /** Pods matching a label selector (`app=checkout,tier in (web)`); `more` when the list was cut. */
  listPods(namespace: string, labelSelector: string): Promise<{ items: Pod[]; more: boolean }>;
  listReplicaSets(namespace: string, labelSelector: string): Promise<ReplicaSet[]>;
  /** Events about one object, by its uid (or name and kind when the uid is unknown). */
  listEvents(namespace: string, involvedObject: { uid?: string; name?: string; kind?: string }): Promise<KubeEvent[]>;
  /** The newest lines of a container's log (of its previous run with `previous`). */
  readLog(
    namespace: string,
    pod: string,
    container: string,
    options: { previous: boolean; tailLines: number },
  ): Promise<string>;
  /** A node; undefined when it does not exist. */
  getNode(name: string): Promise<Node | undefined>;
  /** Every node (one page), to compare a pending pod's requests with what nodes can offer. */
  listNodes(): Promise<Node[]>;
  /** A claim; undefined when it does not exist. */
  getPersistentVolumeClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  /** The pod's current usage; undefined when the metrics API (metrics.k8s.io) does not answer. */
  podMetrics(namespace: string, pod: string): Promise<PodMetrics | undefined>;
}

/** The label selector as a query string (matchLabels and matchExpressions). */
export function selectorString(selector: LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.join(',');
}

const WORKLOAD_PATHS: Record<WorkloadKind, { prefix: string; plural: string }> = {
  Pod: { prefix: '/api/v1', plural: 'pods' },
  Deployment: { prefix: '/apis/apps/v1', plural: 'deployments' },
  StatefulSet: { prefix: '/apis/apps/v1', plural: 'statefulsets' },
  DaemonSet: { prefix: '/apis/apps/v1', plural: 'daemonsets' },
  Job: { prefix: '/apis/batch/v1', plural: 'jobs' },
};

/** Most pods and ReplicaSets listed for one workload (one page). */
export const LIST_LIMIT = 500;

const seg = encodeURIComponent;

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isOpsError(error) && error.code === 'RESOURCE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** The workload source over the Kubernetes REST API of one cluster. */
export function kubeWorkloadSource(api: KubeApi): WorkloadSource {
  return {
    async getWorkload(kind, namespace, name) {
      const { prefix, plural } = WORKLOAD_PATHS[kind];
      const what = `get ${kind.toLowerCase()} ${namespace}/${name}`;
      let object: unknown;
      try {
        object = await api.json(
          { method: 'GET', path: `${prefix}/namespaces/${seg(namespace)}/${plural}/${seg(name)}` },
          what,
        );
      } catch (error) {
        if (isOpsError(error) && error.code === 'RESOURCE_NOT_FOUND') {
          throw new OpsError('RESOURCE_NOT_FOUND', `${kind} ${name} not found in namespace ${namespace}.`, {
            hint: `Check the name, kind and namespace (kubectl get ${plural} -n ${namespace}).`,
            ...(error.upstream ? { upstream: error.upstream } : {}),
          });
        }
        throw error;
      }
      return { kind, object } as Workload;
    },

    async listPods(namespace, labelSelector) {
      const list = await api.json<{ items?: Pod[]; metadata?: { continue?: string } }>(
        {
          method: 'GET',
          path: `/api/v1/namespaces/${seg(namespace)}/pods`,
          query: { labelSelector, limit: LIST_LIMIT },
        },
        `list pods in ${namespace}`,
      );
      return { items: list.items ?? [], more: Boolean(list.metadata?.continue) };
    },

    async listReplicaSets(namespace, labelSelector) {
      const list = await api.json<{ items?: ReplicaSet[] }>(
        {
          method: 'GET',
          path: `/apis/apps/v1/namespaces/${seg(namespace)}/replicasets`,
          query: { labelSelector, limit: LIST_LIMIT },
        },
        `list replicasets in ${namespace}`,
      );
      return list.items ?? [];
    },

    async listEvents(namespace, involved) {
      const fields = involved.uid
        ? [`involvedObject.uid=${involved.uid}`]
        : [
            ...(involved.name ? [`involvedObject.name=${involved.name}`] : []),
            ...(involved.kind ? [`involvedObject.kind=${involved.kind}`] : []),
          ];
      const list = await api.json<{ items?: KubeEvent[] }>(
        {
          method: 'GET',
          path: `/api/v1/namespaces/${seg(namespace)}/events`,
          query: { fieldSelector: fields.join(','), limit: LIST_LIMIT },
        },
        `list events of ${involved.kind ?? 'object'} ${involved.name ?? involved.uid ?? ''} in ${namespace}`,
      );
      // Filtered here as well: a server that ignores the field selector must not mix objects up.
      return (list.items ?? []).filter((e) =>
        involved.uid
          ? e.involvedObject?.uid === involved.uid
          : (!involved.name || e.involvedObject?.name === involved.name) &&
            (!involved.kind || e.involvedObject?.kind === involved.kind),
      );
    },

    async readLog(namespace, pod, container, { previous, tailLines }) {
      const res = await api.request(
        {
          method: 'GET',
          path: `/api/v1/namespaces/${seg(namespace)}/pods/${seg(pod)}/log`,
          query: { container, previous: previous || undefined, tailLines, limitBytes: 64 * 1024 },
          accept: 'text/plain',
        },
        `logs of ${namespace}/${pod}/${container}${previous ? ' (previous)' : ''}`,
      );
      return res.text;
    },

    getNode: (name) =>
      orUndefined(api.json<Node>({ method: 'GET', path: `/api/v1/nodes/${seg(name)}` }, `get node ${name}`)),

    async listNodes() {
      const list = await api.json<{ items?: Node[] }>(
        { method: 'GET', path: '/api/v1/nodes', query: { limit: LIST_LIMIT } },
        'list nodes',
      );
      return list.items ?? [];
    },

    getPersistentVolumeClaim: (namespace, name) =>
      orUndefined(
        api.json<PersistentVolumeClaim>(
          { method: 'GET', path: `/api/v1/namespaces/${seg(namespace)}/persistentvolumeclaims/${seg(name)}` },
          `get persistentvolumeclaim ${namespace}/${name}`,
        ),
      ),

    async podMetrics(namespace, pod) {
      try {
        return await api.json<PodMetrics>(
          { method: 'GET', path: `/apis/metrics.k8s.io/v1beta1/namespaces/${seg(namespace)}/pods/${seg(pod)}` },
          `metrics of pod ${namespace}/${pod}`,
        );
      } catch (error) {
        // No metrics-server, no sample yet for a new pod, or no RBAC for metrics: usage is unknown.
        if (isOpsError(error) && error.code !== 'CANCELLED') return undefined;
        throw error;
      }
    },
  };
}

/**
 * The API-server audit log in SLS: the query the original ack-mcp-server built (clauses joined
 * with ` and `, `*` for none), with every value quoted so user names such as
 * `system:serviceaccount:kube-system:foo` are one term, and the entries' JSON-text fields parsed.
 */

/** Short and singular resource names, expanded as kubectl users type them. */
export const RESOURCE_SHORT_NAMES: Readonly<Record<string, string>> = {
  pod: 'pods',
  po: 'pods',
  deploy: 'deployments',
  deployment: 'deployments',
  svc: 'services',
  service: 'services',
  cm: 'configmaps',
  configmap: 'configmaps',
  sec: 'secrets',
  secret: 'secrets',
  role: 'roles',
  rolebinding: 'rolebindings',
  clusterrole: 'clusterroles',
  clusterrolebinding: 'clusterrolebindings',
  node: 'nodes',
  no: 'nodes',
  ns: 'namespaces',
  namespace: 'namespaces',
  pv: 'persistentvolumes',
  pvc: 'persistentvolumeclaims',
  sa: 'serviceaccounts',
  serviceaccount: 'serviceaccounts',
  rs: 'replicasets',
  replicaset: 'replicasets',
  ds: 'daemonsets',
  daemonset: 'daemonsets',
  sts: 'statefulsets',
  statefulset: 'statefulsets',
  ing: 'ingresses',
  ingress: 'ingresses',
  ep: 'endpoints',
  job: 'jobs',
  cj: 'cronjobs',
  cronjob: 'cronjobs',
  hpa: 'horizontalpodautoscalers',
  event: 'events',
  ev: 'events',
};

/** The plural resource name of a short or singular one (lower-cased; unknown names are kept). */
export function expandResourceType(name: string): string {
  const lower = name.trim().toLowerCase();
  return RESOURCE_SHORT_NAMES[lower] ?? lower;
}

/**
 * A value as an SLS search term: quoted, with `"` and `\` escaped. A trailing `*` (prefix
 * search, `kube*`) stays outside the quotes, as SLS only honours it there.
 */
export function slsTerm(value: string): string {
  const prefix = value.endsWith('*') && value.length > 1;
  const core = prefix ? value.slice(0, -1) : value;
  const quoted = `"${core.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return prefix ? `${quoted}*` : quoted;
}

export interface AuditFilter {
  namespace?: string;
  verbs?: string[];
  resourceTypes?: string[];
  resourceName?: string;
  user?: string;
}

const given = (v: string | undefined): v is string => v !== undefined && v.trim() !== '' && v.trim() !== '*';

/** The SLS search for an audit filter; `*` when nothing narrows it. */
export function buildAuditQuery(filter: AuditFilter): string {
  const clauses: string[] = [];
  if (given(filter.user)) clauses.push(`user.username: ${slsTerm(filter.user.trim())}`);
  if (given(filter.namespace)) clauses.push(`objectRef.namespace: ${slsTerm(filter.namespace.trim())}`);
  const verbs = (filter.verbs ?? []).map((v) => v.trim().toLowerCase()).filter(given);
  if (verbs.length) clauses.push(`(${verbs.map((v) => `verb: ${slsTerm(v)}`).join(' or ')})`);
  const resources = [...new Set((filter.resourceTypes ?? []).filter(given).map(expandResourceType))];
  if (resources.length) clauses.push(`(${resources.map((r) => `objectRef.resource: ${slsTerm(r)}`).join(' or ')})`);
  if (given(filter.resourceName)) clauses.push(`objectRef.name: ${slsTerm(filter.resourceName.trim())}`);
  return clauses.length ? clauses.join(' and ') : '*';
}

/** Text that is JSON parsed, else kept as it is. */
function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

const SECRET_MASK = '***';

/**
 * Credentials in an audited body masked: a Secret's `data`/`stringData` values (also in a
 * SecretList) and the token of a TokenRequest answer; anything else unchanged.
 */
export function maskSecretObject(value: unknown, kindWhenMissing?: string): unknown {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskSecretObject(v, kindWhenMissing));
  const object = value as Record<string, unknown>;
  const kind = typeof object.kind === 'string' ? object.kind : kindWhenMissing;
  if (kind === 'SecretList' && Array.isArray(object.items)) {
    return { ...object, items: object.items.map((item) => maskSecretObject(item, 'Secret')) };
  }
  if (kind === 'TokenRequest' && object.status && typeof object.status === 'object') {
    return { ...object, status: { ...(object.status as Record<string, unknown>), token: SECRET_MASK } };
  }
  if (kind !== 'Secret') return object;
  const masked: Record<string, unknown> = { ...object };
  for (const field of ['data', 'stringData'] as const) {
    const data = object[field];
    if (data && typeof data === 'object') {
      masked[field] = Object.fromEntries(Object.keys(data).map((k) => [k, SECRET_MASK]));
    }
  }
  return masked;
}

export interface AuditEntry {
  time: string | null;
  verb: string | null;
  user: { username: string | null; groups: string[] };
  object_ref: {
    resource: string | null;
    namespace: string | null;
    name: string | null;
    api_group: string | null;
    subresource: string | null;
  };
  response_code: number | null;
  response_reason: string | null;
  source_ips: string[];
  user_agent: string | null;
  request_uri: string | null;
  stage: string | null;
  request_object?: unknown;
  response_object?: unknown;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** One audit row as SLS returns it (flat text fields) turned into an entry. */
export function parseAuditRow(
  row: Record<string, string>,
  options: { includeObjects: boolean; maskSecrets: boolean },
): AuditEntry {
  const user = record(parseJsonText(row.user));
  const ref = record(parseJsonText(row.objectRef));
  const status = record(parseJsonText(row.responseStatus));
  const ips = parseJsonText(row.sourceIPs);
  const timeSeconds = Number(row.__time__);
  const resource = text(ref.resource);
  const entry: AuditEntry = {
    time:
      text(row.requestReceivedTimestamp) ??
      (Number.isFinite(timeSeconds) && timeSeconds > 0 ? new Date(timeSeconds * 1000).toISOString() : null),
    verb: text(row.verb),
    user: {
      username: text(user.username),
      groups: Array.isArray(user.groups) ? user.groups.filter((g): g is string => typeof g === 'string') : [],
    },
    object_ref: {
      resource,
      namespace: text(ref.namespace),
      name: text(ref.name),
      api_group: text(ref.apiGroup),
      subresource: text(ref.subresource),
    },
    response_code: typeof status.code === 'number' ? status.code : Number(status.code) || null,
    response_reason: text(status.reason) ?? text(status.message),
    source_ips: Array.isArray(ips)
      ? ips.filter((i): i is string => typeof i === 'string')
      : typeof ips === 'string' && ips
        ? [ips]
        : [],
    user_agent: text(row.userAgent),
    request_uri: text(row.requestURI),
    stage: text(row.stage),
  };
  if (options.includeObjects) {
    // A patch of a Secret may carry no kind: the resource says what it is.
    const mask = (v: unknown) =>
      options.maskSecrets ? maskSecretObject(v, resource === 'secrets' ? 'Secret' : undefined) : v;
    if (row.requestObject !== undefined) entry.request_object = mask(parseJsonText(row.requestObject));
    if (row.responseObject !== undefined) entry.response_object = mask(parseJsonText(row.responseObject));
  }
  return entry;
}

import { z } from 'zod';
import { RESOURCE_SHORT_NAMES } from '../../observability/audit.js';
import { isoOf, parseTimeRange } from '../../observability/time.js';
import { ackTool } from '../context.js';
import { searchAuditLog } from './audit-search.js';
import { ClusterId, observability, TimeText } from './common.js';

/** A list given as a JSON array text or a comma list, as the original accepted. */
function listOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      return value;
    }
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const Term = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[^"\\\n]+$/, 'no quotes, backslashes or new lines');

export const AuditEntrySchema = z.object({
  time: z.string().nullable(),
  verb: z.string().nullable(),
  user: z.object({ username: z.string().nullable(), groups: z.array(z.string()) }),
  object_ref: z.object({
    resource: z.string().nullable(),
    namespace: z.string().nullable(),
    name: z.string().nullable(),
    api_group: z.string().nullable(),
    subresource: z.string().nullable(),
  }),
  response_code: z.number().nullable(),
  response_reason: z.string().nullable(),
  source_ips: z.array(z.string()),
  user_agent: z.string().nullable(),
  request_uri: z.string().nullable(),
  stage: z.string().nullable(),
  request_object: z.unknown().optional(),
  response_object: z.unknown().optional(),
});

export const queryAuditLog = ackTool({
  name: 'query_audit_log',
  title: 'Search the API-server audit log',
  description:
    "Who did what to which Kubernetes object: searches the cluster's API-server audit log in SLS (project from GetClusterAuditProject, " +
    'logstore audit-<cluster_id>), newest first. Filters: namespace, verbs (get, list, create, update, patch, delete …), ' +
    `resource_types (short names expanded: ${Object.keys(RESOURCE_SHORT_NAMES).slice(0, 8).join(', ')} …), resource_name, user ` +
    '(e.g. system:serviceaccount:kube-system:foo); a trailing * is a prefix search. include_objects adds the request and response ' +
    'bodies (Secret data masked), e.g. the spec of a deleted Service.',
  access: 'read',
  input: z.object({
    cluster_id: ClusterId,
    namespace: Term.optional().describe('Namespace, e.g. shop (kube* for a prefix)'),
    verbs: z.preprocess(listOf, z.array(Term).max(10)).optional().describe('Verbs, e.g. ["delete","patch"]'),
    resource_types: z
      .preprocess(listOf, z.array(Term).max(10))
      .optional()
      .describe('Resource types, plural or short: ["svc","deploy"]'),
    resource_name: Term.optional().describe('Object name'),
    user: Term.optional().describe('User name, e.g. kubernetes-admin or system:serviceaccount:ns:name'),
    start_time: TimeText.default('24h'),
    end_time: TimeText.optional(),
    limit: z.number().int().min(1).max(100).default(10).describe('Most entries (1–100)'),
    include_objects: z.boolean().default(false).describe('Add request and response objects (Secret data masked)'),
  }),
  output: z.object({
    provider_query: z.string().describe('The SLS search sent'),
    project: z.string(),
    logstore: z.string(),
    from: z.string(),
    to: z.string(),
    entries: z.array(AuditEntrySchema),
    total: z.number().int(),
    complete: z.boolean(),
    request_id: z.string().nullable(),
  }),
  async handler(args, ctx) {
    const { start, end } = parseTimeRange(args.start_time, args.end_time);
    const result = await searchAuditLog(await observability(ctx), {
      clusterId: args.cluster_id,
      filter: {
        ...(args.namespace ? { namespace: args.namespace } : {}),
        ...(args.verbs ? { verbs: args.verbs } : {}),
        ...(args.resource_types ? { resourceTypes: args.resource_types } : {}),
        ...(args.resource_name ? { resourceName: args.resource_name } : {}),
        ...(args.user ? { user: args.user } : {}),
      },
      start,
      end,
      limit: args.limit,
      includeObjects: args.include_objects,
      allowSecretData: ctx.settings.allowSecretData,
    });
    return {
      provider_query: result.query,
      project: result.project,
      logstore: result.logstore,
      from: isoOf(start),
      to: isoOf(end),
      entries: result.entries,
      total: result.entries.length,
      complete: result.complete,
      request_id: result.requestId ?? null,
    };
  },
});

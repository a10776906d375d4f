import { OpsError } from '@opsmcp/core';
import { type AuditEntry, type AuditFilter, buildAuditQuery, parseAuditRow } from '../../observability/audit.js';
import type { ObservabilityClients } from '../../observability/clients.js';

export interface AuditSearch {
  clusterId: string;
  filter: AuditFilter;
  /** Unix seconds. */
  start: number;
  end: number;
  limit: number;
  includeObjects: boolean;
  /** ACK_ALLOW_SECRET_DATA: Secret bodies shown as logged. */
  allowSecretData: boolean;
}

export interface AuditSearchResult {
  project: string;
  logstore: string;
  query: string;
  entries: AuditEntry[];
  complete: boolean;
  requestId: string | undefined;
}

/** The cluster's audit log (project from GetClusterAuditProject, logstore audit-<cluster_id>), newest first. */
export async function searchAuditLog(clients: ObservabilityClients, search: AuditSearch): Promise<AuditSearchResult> {
  const region = await clients.clusterRegion(search.clusterId);
  const audit = await clients.auditProject(search.clusterId);
  if (!audit.enabled || !audit.project) {
    throw new OpsError(
      'OPERATION_NOT_SUPPORTED',
      `API-server auditing is not enabled for cluster ${search.clusterId}.`,
      {
        hint: 'Enable cluster auditing in the ACK console (Cluster Information → Security and Auditing), then query again.',
      },
    );
  }
  const logstore = `audit-${search.clusterId}`;
  const query = buildAuditQuery(search.filter);
  const answer = await (await clients.sls(region)).getLogs({
    project: audit.project,
    logstore,
    from: search.start,
    to: search.end,
    query,
    line: search.limit,
    reverse: true,
  });
  const entries = answer.rows.map((row) =>
    parseAuditRow(row, {
      includeObjects: search.includeObjects,
      maskSecrets: !search.allowSecretData,
    }),
  );
  // SLS answers newest first with reverse=true; keep that order even if rows share a second.
  entries.sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''));
  return { project: audit.project, logstore, query, entries, complete: answer.complete, requestId: answer.requestId };
}

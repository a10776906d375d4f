import { randomUUID } from 'node:crypto';
import { pollUntil } from '@opsmcp/core';
import { z } from 'zod';
import type { CsInspectReportDetail } from '../../cs/types.js';
import { REGION_PATTERN } from '../../settings.js';
import { ackTool } from '../context.js';
import { ClusterId, csForCluster, num, requireId, seconds, str, waitBudgetMs, waitingToolTimeoutMs } from './common.js';

const CheckItem = z.object({
  category: z.string().nullable(),
  name: z.string().nullable(),
  level: z.string().nullable().describe('error, warning, advice, normal'),
  target_type: z.string().nullable(),
  targets: z.array(z.string()),
  description: z.string().nullable(),
  fix: z.string().nullable(),
  result: z.string().nullable(),
});

/** Report states after which it changes no more. */
const FINISHED = new Set(['completed', 'complete', 'succeeded', 'success', 'failed', 'fail']);

function reportStatus(report: CsInspectReportDetail): string {
  return str(report.status)?.toLowerCase() ?? 'unknown';
}

export const queryInspectReport = ackTool({
  name: 'query_inspect_report',
  title: 'Inspect a cluster and wait for the report',
  description:
    "Runs ACK's cluster inspection (configuration, capacity, versions, security, best practices) and waits for the " +
    'report it starts (up to DIAGNOSE_TIMEOUT, with progress): status, finish time, error/warning/normal counts and ' +
    'the check items (only the abnormal ones unless is_result_exception is false). With report_id it follows an existing ' +
    'report instead of starting one.',
  access: 'write',
  // It may wait up to DIAGNOSE_TIMEOUT for the operation it started.
  timeoutMs: waitingToolTimeoutMs,
  idempotent: false,
  input: z.object({
    cluster_id: ClusterId,
    region_id: z
      .string()
      .regex(REGION_PATTERN, 'a region id looks like cn-hangzhou')
      .optional()
      .describe("The cluster's region (looked up when omitted)"),
    is_result_exception: z.boolean().default(true).describe('Only the check items that found a problem'),
    report_id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,128}$/, 'a report id is 1–128 letters, digits, ".", "_" or "-"')
      .optional()
      .describe('Follow this existing report instead of starting an inspection (e.g. after a timeout)'),
  }),
  output: z.object({
    cluster_id: z.string(),
    report_id: z.string(),
    report_status: z.string(),
    report_start_time: z.string().nullable(),
    report_finish_time: z.string().nullable(),
    summary: z.object({
      errorCount: z.number().nullable(),
      warnCount: z.number().nullable(),
      adviceCount: z.number().nullable(),
      normalCount: z.number().nullable(),
    }),
    checkItemResults: z.array(CheckItem),
  }),
  async handler({ cluster_id, region_id, is_result_exception, report_id }, ctx) {
    const api = region_id ? await ctx.clients.cs(region_id) : await csForCluster(ctx, cluster_id);
    let reportId = report_id;
    if (reportId === undefined) {
      // Poll the report this run created: a newer or older one may exist.
      const run = await api.runClusterInspect(cluster_id, randomUUID());
      reportId = requireId(run.reportId, 'RunClusterInspect', 'reportId');
      await ctx.progress(0, undefined, `inspection report ${reportId} started`);
    }
    const polledId = reportId;
    const detail = (report: string) =>
      api.getClusterInspectReportDetail(cluster_id, report, { enableFilter: is_result_exception });
    const report = await pollUntil({
      what: `inspection report ${reportId} of cluster ${cluster_id}`,
      check: () => detail(polledId),
      done: (r) => FINISHED.has(reportStatus(r)),
      intervalMs: seconds(ctx.settings.diagnosePollInterval),
      deadlineMs: waitBudgetMs(ctx),
      signal: ctx.signal,
      progress: (step, message) => ctx.progress(step, undefined, `inspection ${reportId}: ${message}`),
      describe: reportStatus,
      lookupHint: `call query_inspect_report with cluster_id '${cluster_id}' and report_id '${reportId}'`,
    });
    // The items come in pages; gather them all (bounded) so nothing abnormal is left out.
    const items = [...(report.checkItemResults ?? [])];
    let next = str(report.nextToken);
    for (let page = 1; next && page < 20; page++) {
      const more = await api.getClusterInspectReportDetail(cluster_id, polledId, {
        enableFilter: is_result_exception,
        nextToken: next,
      });
      items.push(...(more.checkItemResults ?? []));
      next = str(more.nextToken);
    }
    return {
      cluster_id,
      report_id: polledId,
      report_status: reportStatus(report),
      report_start_time: str(report.startTime),
      report_finish_time: str(report.endTime),
      summary: {
        errorCount: num(report.summary?.errorCount),
        warnCount: num(report.summary?.warnCount),
        adviceCount: num(report.summary?.adviceCount),
        normalCount: num(report.summary?.normalCount),
      },
      checkItemResults: items.map((item) => ({
        category: str(item.category),
        name: str(item.name),
        level: str(item.level),
        target_type: str(item.targetType),
        targets: Array.isArray(item.targets) ? item.targets.filter((t) => typeof t === 'string') : [],
        description: str(item.description),
        fix: str(item.fix),
        result: str(item.result),
      })),
    };
  },
});

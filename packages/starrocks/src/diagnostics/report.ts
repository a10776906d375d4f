import type { Diagnosis, Issue } from './types.js';

const ICON: Record<Issue['severity'], string> = { critical: '🔴', warning: '🟠', info: 'ℹ️' };

export function issueLines(issues: readonly Issue[]): string[] {
  if (!issues.length) return ['No issues found.'];
  const order = { critical: 0, warning: 1, info: 2 };
  return [...issues]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((i) => `- ${ICON[i.severity]} **${i.id}** (${i.severity}): ${i.message}\n  → ${i.recommendation}`);
}

function metricLines(metrics: Record<string, unknown>): string[] {
  return Object.entries(metrics)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `- ${k}: ${v}`);
}

/** The readable report of an analysis: verdict, issues first, then the headline metrics. */
export function formatDiagnosis(d: Diagnosis & { notice?: string }): string {
  const title = d.tool.replace(/^analyze_/, '').replace(/_/g, ' ');
  const lines = [
    `## StarRocks ${title}: ${d.health_score}/100 ${d.level} (${d.status})`,
    `${d.architecture.replace('_', '-')} cluster${d.starrocks_version ? `, StarRocks ${d.starrocks_version}` : ''}. ${d.summary}`,
  ];
  if (d.notice) lines.push(`> ${d.notice}`);
  lines.push('', '### Issues', ...issueLines(d.issues));
  const metrics = metricLines(d.metrics);
  if (metrics.length) lines.push('', '### Metrics', ...metrics);
  const failed = d.sources.filter((s) => !s.ok);
  if (failed.length) lines.push('', `${failed.length} of ${d.sources.length} statements failed; see sources.`);
  return lines.join('\n');
}

export function summarize(issues: readonly Issue[]): string {
  const count = (s: Issue['severity']) => issues.filter((i) => i.severity === s).length;
  const [c, w, n] = [count('critical'), count('warning'), count('info')];
  if (!c && !w) return n ? `No problems; ${n} note(s).` : 'No problems found.';
  const worst = issues.find((i) => i.severity === (c ? 'critical' : 'warning'));
  return `${c} critical, ${w} warning${n ? `, ${n} info` : ''}: ${worst?.message ?? ''}`;
}

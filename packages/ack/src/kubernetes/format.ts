/** Text rendering as kubectl prints it: aligned tables, YAML, ages, resource quantities. */
import { stringify } from 'yaml';

export interface TableColumn {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }; [k: string]: unknown };
}

/** A `meta.k8s.io/v1` Table as the API server renders it for `as=Table`. */
export interface KubeTable {
  kind?: string;
  columnDefinitions?: TableColumn[];
  rows?: TableRow[];
  metadata?: { continue?: string; remainingItemCount?: number; resourceVersion?: string };
}

/** Lines of columns padded like kubectl's tabwriter (three spaces between columns). */
export function alignColumns(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] as number)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '<none>';
  if (typeof value === 'string') return value === '' ? '<none>' : value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface TableOptions {
  wide: boolean;
  showLabels: boolean;
  withNamespace: boolean;
  noHeaders: boolean;
  /** `pod/` etc.: kubectl prefixes names when several types are printed together. */
  namePrefix?: string;
}

/** Renders Table rows; columns with priority > 0 only for -o wide. */
export function renderTable(table: KubeTable, options: TableOptions): string[][] {
  const columns = table.columnDefinitions ?? [];
  const keep = columns.map((c, i) => ({ c, i })).filter(({ c }) => options.wide || !c.priority);
  const header = keep.map(({ c }) => c.name.toUpperCase());
  if (options.withNamespace) header.unshift('NAMESPACE');
  if (options.showLabels) header.push('LABELS');
  const lines: string[][] = options.noHeaders ? [] : [header];
  for (const row of table.rows ?? []) {
    const cells = keep.map(({ c, i }) => {
      const text = cellText(row.cells[i]);
      return c.name.toLowerCase() === 'name' && options.namePrefix ? `${options.namePrefix}${text}` : text;
    });
    if (options.withNamespace) cells.unshift(row.object?.metadata?.namespace ?? '');
    if (options.showLabels) {
      const labels = row.object?.metadata?.labels ?? {};
      cells.push(
        Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
      );
    }
    lines.push(cells);
  }
  return lines;
}

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** kubectl's short ages: 45s, 5m, 3h, 2d, 3y. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

export const formatCpu = (cores: number) => `${Math.round(cores * 1000)}m`;
export const formatMemory = (bytes: number) => `${Math.round(bytes / 2 ** 20)}Mi`;

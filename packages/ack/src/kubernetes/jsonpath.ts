/**
 * kubectl's JSONPath templates, the common subset: `{.a.b}`, `{.items[*].metadata.name}`,
 * `[n]`, `[-1]`, `[a:b]`, `['key.with.dots']`, filters `[?(@.x=="v")]` / `!=` / `[?(@.x)]`,
 * `{range …}…{end}`, string literals `{"\n"}` and plain text between expressions. Recursive
 * descent (`..`), unions and functions are refused with a clear message.
 */
import { OpsError } from '@opsmcp/core';

type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number }
  | { kind: 'filter'; path: Segment[]; op?: '==' | '!=' | '<' | '>'; value?: string | number | boolean };

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; path: Segment[] }
  | { kind: 'range'; path: Segment[]; body: Node[] };

const unsupported = (what: string) =>
  new OpsError('INVALID_ARGUMENT', `JSONPath: ${what} is not supported.`, {
    hint: 'Supported: {.a.b}, [n], [*], [a:b], [?(@.x=="v")], {range …}{end}, {"\\n"}; or use -o json.',
  });

function unescapeLiteral(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

function parsePath(expr: string): Segment[] {
  let s = expr.trim();
  if (s.startsWith('$')) s = s.slice(1);
  if (s.startsWith('@')) s = s.slice(1);
  const segments: Segment[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      if (s[i + 1] === '.') throw unsupported('recursive descent (..)');
      i++;
      const m = /^[A-Za-z0-9_\-$/]+|^\*/.exec(s.slice(i));
      if (!m) {
        if (i >= s.length) break;
        throw unsupported(`"${s.slice(i - 1)}"`);
      }
      segments.push(m[0] === '*' ? { kind: 'wildcard' } : { kind: 'field', name: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === '[') {
      const close = findClose(s, i);
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') segments.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else if (/^-?\d*:-?\d*$/.test(inner)) {
        const [a, b] = inner.split(':') as [string, string];
        const seg: Segment = { kind: 'slice' };
        if (a !== '') seg.start = Number(a);
        if (b !== '') seg.end = Number(b);
        segments.push(seg);
      } else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) segments.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) segments.push(parseFilter(inner.slice(2, -1)));
      else throw unsupported(`"[${inner}]"`);
      continue;
    }
    if (/[A-Za-z_]/.test(c ?? '') && segments.length === 0) {
      // `{metadata.name}` without the leading dot, as kubectl accepts.
      s = `.${s.slice(i)}`;
      i = 0;
      continue;
    }
    throw unsupported(`"${s.slice(i)}"`);
  }
  return segments;
}

function findClose(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let j = open; j < s.length; j++) {
    const ch = s[j];
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return j;
  }
  throw new OpsError('INVALID_ARGUMENT', `JSONPath: unclosed "[" in "${s}".`);
}

function parseFilter(body: string): Segment {
  const m = /^\s*(@[^=!<>\s]*)\s*(?:(==|!=|<|>)\s*(.+?))?\s*$/.exec(body);
  if (!m) throw unsupported(`the filter "?(${body})"`);
  const seg: Segment = { kind: 'filter', path: parsePath(m[1] as string) };
  if (m[2]) {
    seg.op = m[2] as '==' | '!=' | '<' | '>';
    const raw = (m[3] as string).trim();
    if (/^'.*'$|^".*"$/.test(raw)) seg.value = raw.slice(1, -1);
    else if (raw === 'true' || raw === 'false') seg.value = raw === 'true';
    else if (/^-?\d+(\.\d+)?$/.test(raw)) seg.value = Number(raw);
    else throw unsupported(`the filter value ${raw}`);
  }
  return seg;
}

function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ body: Node[] }> = [{ body: root }];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const current = (stack[stack.length - 1] as { body: Node[] }).body;
    if (open < 0) {
      current.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) current.push({ kind: 'text', text: template.slice(i, open) });
    const close = findBrace(template, open);
    const inner = template.slice(open + 1, close).trim();
    i = close + 1;
    if (/^".*"$|^'.*'$/s.test(inner)) {
      current.push({ kind: 'text', text: unescapeLiteral(inner.slice(1, -1)) });
    } else if (inner.startsWith('range ')) {
      const node: Node = { kind: 'range', path: parsePath(inner.slice(6)), body: [] };
      current.push(node);
      stack.push(node);
    } else if (inner === 'end') {
      if (stack.length === 1) throw new OpsError('INVALID_ARGUMENT', 'JSONPath: {end} without {range}.');
      stack.pop();
    } else {
      current.push({ kind: 'expr', path: parsePath(inner) });
    }
  }
  if (stack.length > 1) throw new OpsError('INVALID_ARGUMENT', 'JSONPath: {range} without {end}.');
  return root;
}

function findBrace(s: string, open: number): number {
  let quote: string | null = null;
  for (let j = open + 1; j < s.length; j++) {
    const ch = s[j];
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '}') return j;
  }
  throw new OpsError('INVALID_ARGUMENT', 'JSONPath: unclosed "{" in the template.');
}

function step(values: unknown[], seg: Segment): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    switch (seg.kind) {
      case 'field':
        if (v && typeof v === 'object' && !Array.isArray(v) && seg.name in v)
          out.push((v as Record<string, unknown>)[seg.name]);
        break;
      case 'wildcard':
        if (Array.isArray(v)) out.push(...v);
        else if (v && typeof v === 'object') out.push(...Object.values(v));
        break;
      case 'index':
        if (Array.isArray(v)) {
          const idx = seg.index < 0 ? v.length + seg.index : seg.index;
          if (idx >= 0 && idx < v.length) out.push(v[idx]);
        }
        break;
      case 'slice':
        if (Array.isArray(v)) out.push(...v.slice(seg.start, seg.end));
        break;
      case 'filter':
        if (Array.isArray(v)) out.push(...v.filter((item) => matches(item, seg)));
        break;
    }
  }
  return out;
}

function matches(item: unknown, seg: Extract<Segment, { kind: 'filter' }>): boolean {
  const found = evaluate(item, seg.path);
  if (!seg.op) return found.length > 0 && found[0] !== false && found[0] !== null;
  const left = found[0];
  switch (seg.op) {
    case '==':
      return left === seg.value || (left !== undefined && String(left) === String(seg.value));
    case '!=':
      return !(left === seg.value || (left !== undefined && String(left) === String(seg.value)));
    case '<':
      return Number(left) < Number(seg.value);
    case '>':
      return Number(left) > Number(seg.value);
  }
}

function evaluate(root: unknown, path: Segment[]): unknown[] {
  let values = [root];
  for (const seg of path) values = step(values, seg);
  return values;
}

function print(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function render(nodes: Node[], data: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'expr') out += evaluate(data, node.path).map(print).join(' ');
    else for (const item of evaluate(data, node.path)) out += render(node.body, item);
  }
  return out;
}

/** Parses a template once (so a bad one fails before any request) and returns its renderer. */
export function compileJsonPath(template: string): (data: unknown) => string {
  const nodes = parseTemplate(template);
  return (data) => render(nodes, data);
}

/**
 * The kubectl command line as data: a quote-aware tokenizer (no shell ever runs), then an
 * allow-list of verbs and flags. Anything not listed is refused before a request is made, so a
 * command can never reach another cluster, another identity, a file, a URL or a shell.
 */
import { OpsError } from '@opsmcp/core';

export type Access = 'read' | 'write' | 'destructive';

export type OutputFormat =
  | { kind: 'table' }
  | { kind: 'wide' }
  | { kind: 'name' }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'jsonpath'; template: string };

export interface KubectlFlags {
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
  fieldSelector?: string;
  output: OutputFormat;
  showLabels: boolean;
  noHeaders: boolean;
  chunkSize?: number;
  continueToken?: string;
  ignoreNotFound: boolean;
  // logs
  tail?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  container?: string;
  previous: boolean;
  follow: boolean;
  timestamps: boolean;
  limitBytes?: number;
  // events
  forObject?: string;
  eventTypes?: string[];
  // top
  sortBy?: 'cpu' | 'memory';
  // api-resources
  namespaced?: boolean;
  apiGroup?: string;
  // explain
  recursive: boolean;
  // writes
  replicas?: number;
  patch?: string;
  patchType: 'strategic' | 'merge' | 'json';
  toRevision?: number;
  overwrite: boolean;
  timeoutSeconds?: number;
  dryRun: boolean;
  forceConflicts: boolean;
  gracePeriod?: number;
  force: boolean;
  deleteEmptyDirData: boolean;
  ignoreDaemonSets: boolean;
  client: boolean;
}

export interface KubectlCommand {
  /** The verb, e.g. `get`, `rollout`, `top`. */
  verb: string;
  /** The subcommand of `rollout` (`restart`, `status`, `undo`, `history`) and `top` (`pods`, `nodes`). */
  sub?: string;
  /** Positional arguments after the verb (and subcommand). */
  args: string[];
  flags: KubectlFlags;
  access: Access;
  /** The argv as understood, for echoing back (never contains a manifest). */
  argv: string[];
}

const invalid = (message: string, hint?: string) => new OpsError('INVALID_ARGUMENT', message, { hint });

/** Characters a shell would act on; refused outside quotes so nobody believes they work. */
const SHELL_META = new Set([';', '&', '|', '>', '<', '`', '(', ')']);

/**
 * Splits a command line like a POSIX shell splits words, without any expansion: single quotes
 * keep everything, double quotes keep everything but `\"` and `\\`, a backslash outside quotes
 * escapes the next character. Metacharacters outside quotes are refused, never interpreted.
 */
export function tokenize(command: string): string[] {
  if (/[\r\n\0]/.test(command)) {
    throw invalid(
      'The command must be one line: newlines (and NUL) are refused.',
      'Pass one kubectl command per call.',
    );
  }
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < command.length) {
    const c = command[i] as string;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw invalid('Unterminated single quote in the command.');
      word += command.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < command.length) {
        const d = command[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) {
          word += command[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) throw invalid('Unterminated double quote in the command.');
      inWord = true;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= command.length) throw invalid('The command ends with a lone backslash.');
      word += command[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    if (SHELL_META.has(c) || (c === '$' && command[i + 1] === '(')) {
      const what = c === '$' ? '$(' : c;
      throw invalid(
        `Shell syntax is not supported: "${what}" outside quotes. The command runs without a shell, as one kubectl command.`,
        'Remove pipes, redirections, command separators and substitutions; quote a value that really contains such a character.',
      );
    }
    word += c;
    inWord = true;
    i++;
  }
  if (inWord) words.push(word);
  return words;
}

// ---- verbs ----------------------------------------------------------------------------------

const READ_VERBS = new Set([
  'get',
  'describe',
  'logs',
  'events',
  'top',
  'api-resources',
  'api-versions',
  'version',
  'explain',
  'cluster-info',
]);
const WRITE_VERBS = new Set(['apply', 'create', 'scale', 'label', 'annotate', 'cordon', 'uncordon', 'patch']);
const DESTRUCTIVE_VERBS = new Set(['delete', 'drain']);
const ROLLOUT_SUBS: Record<string, Access> = { status: 'read', history: 'read', restart: 'write', undo: 'write' };

const REFUSED_VERBS: Record<string, string> = {
  exec: 'runs a process inside a container',
  attach: 'attaches to a running container',
  cp: 'copies files to or from a container',
  'port-forward': 'opens a tunnel into the cluster',
  proxy: 'opens a proxy to the API server',
  debug: 'starts a debugging container',
  run: 'starts a new pod from an image',
  edit: 'opens an interactive editor',
  config: 'reads or changes kubeconfig files (the server manages its own credentials)',
  replace: 'replaces objects from files',
  set: 'is not implemented; use patch',
  expose: 'is not implemented; create a Service through create with a manifest',
  autoscale: 'is not implemented; create a HorizontalPodAutoscaler through create with a manifest',
  taint: 'is not implemented; use patch on the node',
  wait: 'blocks on a watch',
  diff: 'is not implemented; use apply with --dry-run=server',
  kustomize: 'reads local directories',
  auth: 'is not implemented',
  certificate: 'approves certificate requests',
  plugin: 'runs local binaries',
  completion: 'prints shell completion scripts',
  alpha: 'is not implemented',
  options: 'is not implemented',
};

// ---- flags ----------------------------------------------------------------------------------

const REFUSED_FLAGS: Record<string, string> = {
  '--kubeconfig': 'the server uses the kubeconfig of the cluster named by cluster_id',
  '--server': 'the API server is the cluster named by cluster_id',
  '-s': 'the API server is the cluster named by cluster_id',
  '--token': 'the server uses its own credentials for the cluster',
  '--as': 'impersonation is not allowed',
  '--as-group': 'impersonation is not allowed',
  '--as-uid': 'impersonation is not allowed',
  '--user': 'the server uses its own credentials for the cluster',
  '--cluster': 'pick the cluster with cluster_id',
  '--context': 'pick the cluster (or, in LOCAL mode, the context) with cluster_id',
  '--client-certificate': 'the server uses its own credentials for the cluster',
  '--client-key': 'the server uses its own credentials for the cluster',
  '--certificate-authority': 'the server verifies the cluster with its own kubeconfig',
  '--insecure-skip-tls-verify': 'TLS verification cannot be turned off',
  '--username': 'the server uses its own credentials for the cluster',
  '--password': 'the server uses its own credentials for the cluster',
  '--tls-server-name': 'the server verifies the cluster with its own kubeconfig',
  '--raw': 'raw API paths are not allowed; use a verb',
  '-w': 'watching streams forever; run get again to see changes',
  '--watch': 'watching streams forever; run get again to see changes',
  '--watch-only': 'watching streams forever; run get again to see changes',
  '--filename': 'manifests go in the manifest argument; the server never reads a path or fetches a URL',
  '-k': 'kustomize directories are not read; pass the rendered manifest in the manifest argument',
  '--kustomize': 'kustomize directories are not read; pass the rendered manifest in the manifest argument',
  '--recursive-filename': 'the server never reads a path',
  '--all': 'a whole-namespace selection is refused; name the objects or use -l with a selector',
  '--cache-dir': 'the server keeps no cache on disk',
};

type FlagKind = 'string' | 'bool' | 'int';

interface FlagSpec {
  key: keyof KubectlFlags | 'output' | 'follow';
  names: readonly string[];
  kind: FlagKind;
  /** Verbs it applies to; every verb when absent. */
  verbs?: readonly string[];
}

const LIST_VERBS = ['get', 'describe', 'delete', 'label', 'annotate', 'top', 'events', 'logs', 'rollout'];

const FLAG_SPECS: readonly FlagSpec[] = [
  { key: 'namespace', names: ['-n', '--namespace'], kind: 'string' },
  {
    key: 'allNamespaces',
    names: ['-A', '--all-namespaces'],
    kind: 'bool',
    verbs: ['get', 'describe', 'events', 'top'],
  },
  { key: 'selector', names: ['-l', '--selector'], kind: 'string', verbs: LIST_VERBS },
  { key: 'fieldSelector', names: ['--field-selector'], kind: 'string', verbs: ['get', 'delete', 'events'] },
  {
    key: 'output',
    names: ['-o', '--output'],
    kind: 'string',
    verbs: ['get', 'events', 'apply', 'create', 'patch', 'label', 'annotate', 'scale', 'version', 'api-resources'],
  },
  { key: 'showLabels', names: ['--show-labels'], kind: 'bool', verbs: ['get'] },
  { key: 'noHeaders', names: ['--no-headers'], kind: 'bool', verbs: ['get', 'top', 'events', 'api-resources'] },
  { key: 'chunkSize', names: ['--chunk-size', '--limit'], kind: 'int', verbs: ['get'] },
  { key: 'continueToken', names: ['--continue'], kind: 'string', verbs: ['get'] },
  { key: 'ignoreNotFound', names: ['--ignore-not-found'], kind: 'bool', verbs: ['get', 'delete'] },
  { key: 'tail', names: ['--tail'], kind: 'int', verbs: ['logs'] },
  { key: 'sinceSeconds', names: ['--since'], kind: 'string', verbs: ['logs'] },
  { key: 'sinceTime', names: ['--since-time'], kind: 'string', verbs: ['logs'] },
  { key: 'container', names: ['-c', '--container'], kind: 'string', verbs: ['logs'] },
  { key: 'previous', names: ['-p', '--previous'], kind: 'bool', verbs: ['logs'] },
  { key: 'follow', names: ['-f', '--follow'], kind: 'bool', verbs: ['logs'] },
  { key: 'timestamps', names: ['--timestamps'], kind: 'bool', verbs: ['logs'] },
  { key: 'limitBytes', names: ['--limit-bytes'], kind: 'int', verbs: ['logs'] },
  { key: 'forObject', names: ['--for'], kind: 'string', verbs: ['events'] },
  { key: 'eventTypes', names: ['--types'], kind: 'string', verbs: ['events'] },
  { key: 'sortBy', names: ['--sort-by'], kind: 'string', verbs: ['top'] },
  { key: 'namespaced', names: ['--namespaced'], kind: 'bool', verbs: ['api-resources'] },
  { key: 'apiGroup', names: ['--api-group'], kind: 'string', verbs: ['api-resources'] },
  { key: 'recursive', names: ['--recursive'], kind: 'bool', verbs: ['explain'] },
  { key: 'client', names: ['--client'], kind: 'bool', verbs: ['version'] },
  { key: 'replicas', names: ['--replicas'], kind: 'int', verbs: ['scale'] },
  { key: 'patch', names: ['-p', '--patch'], kind: 'string', verbs: ['patch'] },
  { key: 'patchType', names: ['--type'], kind: 'string', verbs: ['patch'] },
  { key: 'toRevision', names: ['--to-revision'], kind: 'int', verbs: ['rollout'] },
  { key: 'overwrite', names: ['--overwrite'], kind: 'bool', verbs: ['label', 'annotate'] },
  { key: 'timeoutSeconds', names: ['--timeout'], kind: 'string', verbs: ['drain', 'rollout', 'delete'] },
  {
    key: 'dryRun',
    names: ['--dry-run'],
    kind: 'string',
    verbs: ['apply', 'create', 'patch', 'scale', 'label', 'annotate', 'delete'],
  },
  { key: 'forceConflicts', names: ['--force-conflicts'], kind: 'bool', verbs: ['apply'] },
  { key: 'force', names: ['--force'], kind: 'bool', verbs: ['drain'] },
  { key: 'gracePeriod', names: ['--grace-period'], kind: 'int', verbs: ['delete', 'drain'] },
  { key: 'deleteEmptyDirData', names: ['--delete-emptydir-data'], kind: 'bool', verbs: ['drain'] },
  { key: 'ignoreDaemonSets', names: ['--ignore-daemonsets'], kind: 'bool', verbs: ['drain'] },
  // Accepted for familiarity: apply is always server-side here.
  { key: 'dryRun', names: ['--server-side'], kind: 'bool', verbs: ['apply'] },
];

/** Flags that may come before the verb (`kubectl -n kube-system get pods`). */
const PRE_VERB_VALUE_FLAGS = new Set(['-n', '--namespace']);

/** DNS-1123 label: namespaces. */
const NAMESPACE_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/**
 * Object names: DNS-1123 subdomains, plus `:` and `_` which RBAC and a few built-in objects
 * use. Never `/`, `%`, `..`, a leading `-` or anything else that could change the request path.
 */
const NAME_RE = /^[a-z0-9]([-a-z0-9_.:]*[a-z0-9])?$/;
const TYPE_RE = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/;

export function validateNamespace(value: string): string {
  if (value.length > 63 || !NAMESPACE_RE.test(value)) {
    throw invalid(
      `"${value}" is not a valid namespace: lower-case letters, digits and "-", at most 63 characters.`,
      'Namespaces are DNS-1123 labels such as kube-system.',
    );
  }
  return value;
}

export function validateName(value: string, what = 'object name'): string {
  if (value.length > 253 || !NAME_RE.test(value) || value.includes('..')) {
    throw invalid(
      `"${value}" is not a valid ${what}: lower-case letters, digits, "-", "." (never ".."), at most 253 characters, no "/".`,
    );
  }
  return value;
}

export function validateType(value: string): string {
  const lower = value.toLowerCase();
  if (lower.length > 253 || !TYPE_RE.test(lower) || lower.includes('..')) {
    throw invalid(`"${value}" is not a resource type (e.g. pods, deploy, deployments.apps).`);
  }
  return lower;
}

/** `1h30m`, `90s`, `5m`, `2h`, `45` (seconds) → seconds. */
export function parseDuration(value: string, flag: string): number {
  const plain = /^\d+$/.exec(value);
  if (plain) return Number(value);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m || value === '') throw invalid(`${flag} takes a duration such as 30s, 5m or 1h (got "${value}").`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function parseOutput(value: string): OutputFormat {
  const v = value.trim();
  if (v === 'json' || v === 'yaml' || v === 'wide' || v === 'name') return { kind: v };
  const jp = /^jsonpath=(.*)$/s.exec(v);
  if (jp) {
    const template = (jp[1] ?? '').trim();
    if (!template) throw invalid('-o jsonpath= needs a template, e.g. -o jsonpath={.items[*].metadata.name}');
    return { kind: 'jsonpath', template };
  }
  throw invalid(
    `Output format "${value}" is not supported.`,
    'Use -o json, yaml, wide, name or jsonpath=<template> (custom-columns and go-template are not implemented).',
  );
}

function defaultFlags(): KubectlFlags {
  return {
    allNamespaces: false,
    output: { kind: 'table' },
    showLabels: false,
    noHeaders: false,
    ignoreNotFound: false,
    previous: false,
    follow: false,
    timestamps: false,
    recursive: false,
    patchType: 'strategic',
    overwrite: false,
    dryRun: false,
    forceConflicts: false,
    force: false,
    deleteEmptyDirData: false,
    ignoreDaemonSets: false,
    client: false,
  };
}

function parseBool(value: string, flag: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(`${flag} takes true or false (got "${value}").`);
}

function parseInt10(value: string, flag: string, min: number): number {
  if (!/^-?\d+$/.test(value)) throw invalid(`${flag} takes a whole number (got "${value}").`);
  const n = Number(value);
  if (n < min) throw invalid(`${flag} must be at least ${min} (got ${n}).`);
  return n;
}

function refusedFlagMessage(name: string): OpsError {
  const reason = REFUSED_FLAGS[name] ?? 'it is not supported';
  return invalid(`The flag ${name} is refused: ${reason}.`);
}

function findVerb(tokens: string[]): number {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (!t.startsWith('-')) return i;
    if (PRE_VERB_VALUE_FLAGS.has(t)) i++;
  }
  return -1;
}

/** Whether a command's objects are Secrets (so a patch's values are not echoed back). */
export function targetsSecrets(cmd: KubectlCommand): boolean {
  return cmd.args.some((a) => /^secrets?([/,.]|$)/i.test(a));
}

/** The argv to echo back: a patch aimed at Secrets is elided, since it may carry their data. */
export function displayArgv(cmd: KubectlCommand): string[] {
  if (cmd.verb !== 'patch' || !targetsSecrets(cmd)) return cmd.argv;
  const out: string[] = [];
  for (let i = 0; i < cmd.argv.length; i++) {
    const t = cmd.argv[i] as string;
    if (t === '-p' || t === '--patch') {
      out.push(t, '[patch hidden]');
      i++;
    } else if (/^(-p|--patch)=/.test(t) || (/^-p./.test(t) && !t.startsWith('--'))) {
      out.push(`${t.startsWith('--') ? '--patch' : '-p'}=[patch hidden]`);
    } else out.push(t);
  }
  return out;
}

/** Parses and checks one kubectl command; throws INVALID_ARGUMENT for anything refused. */
export function parseCommand(command: string): KubectlCommand {
  let tokens = tokenize(command.trim());
  if (tokens[0] === 'kubectl') tokens = tokens.slice(1);
  if (!tokens.length) throw invalid('The command is empty.', 'Pass e.g. "get pods -n default".');

  // Refused flags first, wherever they are, so the message names the real problem.
  for (const t of tokens) {
    if (!t.startsWith('-')) continue;
    const name = t.includes('=') ? t.slice(0, t.indexOf('=')) : t;
    if (name in REFUSED_FLAGS) throw refusedFlagMessage(name);
  }

  const verbAt = findVerb(tokens);
  if (verbAt < 0)
    throw invalid('No kubectl verb found in the command.', 'Start with a verb such as get, describe or logs.');
  const verb = (tokens[verbAt] as string).toLowerCase();
  if (verb in REFUSED_VERBS) {
    throw invalid(`kubectl ${verb} is refused: it ${REFUSED_VERBS[verb]}.`, supportedVerbsHint());
  }
  let access: Access;
  if (READ_VERBS.has(verb)) access = 'read';
  else if (WRITE_VERBS.has(verb)) access = 'write';
  else if (DESTRUCTIVE_VERBS.has(verb)) access = 'destructive';
  else if (verb === 'rollout') access = 'read';
  else throw invalid(`Unknown or unsupported kubectl verb "${verb}".`, supportedVerbsHint());

  const flags = defaultFlags();
  const positionals: string[] = [];
  const rest = [...tokens.slice(0, verbAt), ...tokens.slice(verbAt + 1)];
  let endOfFlags = false;
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as string;
    if (endOfFlags || !token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    if (token === '--') {
      endOfFlags = true;
      continue;
    }
    let name = token;
    let inline: string | undefined;
    const eq = token.indexOf('=');
    if (eq > 0) {
      name = token.slice(0, eq);
      inline = token.slice(eq + 1);
    } else if (!token.startsWith('--') && token.length > 2) {
      // -nkube-system, -ojson
      name = token.slice(0, 2);
      inline = token.slice(2);
    }
    if (name in REFUSED_FLAGS) throw refusedFlagMessage(name);
    const spec = FLAG_SPECS.find((s) => s.names.includes(name) && (!s.verbs || s.verbs.includes(verb)));
    if (!spec) {
      if (name === '-f' || name === '--filename') throw refusedFlagMessage('--filename');
      if (FLAG_SPECS.some((s) => s.names.includes(name))) {
        throw invalid(`The flag ${name} does not apply to kubectl ${verb}.`);
      }
      throw invalid(`Unknown or unsupported flag ${name} for kubectl ${verb}.`);
    }
    let value: string;
    if (spec.kind === 'bool') {
      value = inline ?? 'true';
    } else if (inline !== undefined) {
      value = inline;
    } else {
      const next = rest[i + 1];
      if (next === undefined) throw invalid(`The flag ${name} needs a value.`);
      value = next;
      i++;
    }
    applyFlag(flags, spec, name, value, verb);
  }

  let sub: string | undefined;
  if (verb === 'rollout') {
    sub = positionals.shift()?.toLowerCase();
    const subAccess = sub ? ROLLOUT_SUBS[sub] : undefined;
    if (!sub || !subAccess) {
      throw invalid(
        'kubectl rollout needs one of: status, history, restart, undo.',
        'e.g. rollout restart deployment/web',
      );
    }
    access = subAccess;
  }
  if (verb === 'top') {
    const what = positionals.shift()?.toLowerCase();
    if (what === 'pod' || what === 'pods' || what === 'po') sub = 'pods';
    else if (what === 'node' || what === 'nodes' || what === 'no') sub = 'nodes';
    else throw invalid('kubectl top needs pods or nodes, e.g. "top pods -n default".');
  }
  if (flags.namespace !== undefined) validateNamespace(flags.namespace);
  if (flags.container !== undefined) validateName(flags.container, 'container name');
  if (flags.allNamespaces && flags.namespace !== undefined && verb !== 'get') {
    // kubectl itself lets -A win; say so rather than guess silently.
    flags.namespace = undefined;
  }

  const cmd: KubectlCommand = { verb, args: positionals, flags, access, argv: tokens };
  if (sub) cmd.sub = sub;
  checkArguments(cmd);
  return cmd;
}

function applyFlag(flags: KubectlFlags, spec: FlagSpec, name: string, value: string, verb: string): void {
  const f = flags as unknown as Record<string, unknown>;
  switch (spec.key) {
    case 'output':
      flags.output = parseOutput(value);
      return;
    case 'sinceSeconds':
      flags.sinceSeconds = parseDuration(value, name);
      return;
    case 'timeoutSeconds':
      flags.timeoutSeconds = parseDuration(value, name);
      return;
    case 'sinceTime':
      if (Number.isNaN(Date.parse(value))) throw invalid(`--since-time takes an RFC 3339 time (got "${value}").`);
      flags.sinceTime = new Date(value).toISOString();
      return;
    case 'tail': {
      const n = parseInt10(value, name, -1);
      if (n >= 0) flags.tail = n;
      return;
    }
    case 'patchType':
      if (value !== 'strategic' && value !== 'merge' && value !== 'json') {
        throw invalid(`--type takes strategic, merge or json (got "${value}").`);
      }
      flags.patchType = value;
      return;
    case 'sortBy':
      if (value !== 'cpu' && value !== 'memory') throw invalid(`--sort-by takes cpu or memory (got "${value}").`);
      flags.sortBy = value;
      return;
    case 'eventTypes':
      flags.eventTypes = value.split(',').map((t) => {
        const type = t.trim();
        if (type !== 'Normal' && type !== 'Warning') throw invalid(`--types takes Normal and/or Warning (got "${t}").`);
        return type;
      });
      return;
    case 'dryRun':
      if (name === '--server-side') {
        parseBool(value, name);
        return;
      }
      if (value === 'server' || value === 'true') flags.dryRun = true;
      else if (value === 'none' || value === 'false') flags.dryRun = false;
      else
        throw invalid(
          `--dry-run takes server or none here (got "${value}"); client-side dry runs are not implemented.`,
        );
      return;
    case 'follow':
      flags.follow = parseBool(value, name);
      return;
    case 'gracePeriod':
      flags.gracePeriod = parseInt10(value, name, verb === 'delete' ? 1 : 0);
      return;
    default:
      break;
  }
  if (spec.kind === 'bool') f[spec.key] = parseBool(value, name);
  else if (spec.kind === 'int') f[spec.key] = parseInt10(value, name, spec.key === 'replicas' ? 0 : 1);
  else f[spec.key] = value;
}

function supportedVerbsHint(): string {
  return `Supported: ${[...READ_VERBS].join(', ')}, rollout status|history (read); ${[...WRITE_VERBS].join(', ')}, rollout restart|undo (write, tool kubectl_write); delete, drain (destructive, tool kubectl_write).`;
}

// ---- arguments ------------------------------------------------------------------------------

/** A resource reference as typed: a type and optionally a name. */
export interface ResourceRef {
  type: string;
  name?: string;
}

/**
 * `TYPE[,TYPE] [NAME…]` or `TYPE/NAME…`, as kubectl takes them. Every piece is validated, so
 * nothing can reach the request path but a type and a name.
 */
export function resourceRefs(args: readonly string[]): ResourceRef[] {
  if (!args.length) return [];
  if (args.some((a) => a.includes('/'))) {
    return args.map((a) => {
      const parts = a.split('/');
      if (parts.length !== 2 || !parts[0] || !parts[1]) {
        throw invalid(`"${a}" is not TYPE/NAME; mix of TYPE/NAME and bare names is not allowed.`);
      }
      return { type: validateType(parts[0]), name: validateName(parts[1]) };
    });
  }
  const [typeArg, ...names] = args as [string, ...string[]];
  const types = typeArg.split(',').map((t) => validateType(t));
  if (!names.length) return types.map((type) => ({ type }));
  if (types.length > 1) throw invalid('Names can follow only a single type (use TYPE/NAME for several types).');
  return names.map((name) => ({ type: types[0] as string, name: validateName(name) }));
}

const LABEL_KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** `key=value` sets, `key-` removes. */
export interface KeyChange {
  key: string;
  value: string | null;
}

export function parseKeyChanges(items: readonly string[], kind: 'label' | 'annotation'): KeyChange[] {
  return items.map((item) => {
    let key: string;
    let value: string | null;
    if (item.endsWith('-') && !item.includes('=')) {
      key = item.slice(0, -1);
      value = null;
    } else {
      const eq = item.indexOf('=');
      if (eq <= 0)
        throw invalid(`"${item}" is not ${kind === 'label' ? 'a label' : 'an annotation'} change (key=value or key-).`);
      key = item.slice(0, eq);
      value = item.slice(eq + 1);
    }
    if (key.length > 316 || !LABEL_KEY_RE.test(key)) throw invalid(`"${key}" is not a valid ${kind} key.`);
    if (kind === 'label' && value !== null && (value.length > 63 || !LABEL_VALUE_RE.test(value))) {
      throw invalid(`"${value}" is not a valid label value (at most 63 letters, digits, "-", "_", ".").`);
    }
    return { key, value };
  });
}

/** Verb-specific argument shapes, checked before anything is sent. */
function checkArguments(cmd: KubectlCommand): void {
  const { verb, args, flags } = cmd;
  const need = (ok: boolean, message: string, hint?: string) => {
    if (!ok) throw invalid(message, hint);
  };
  switch (verb) {
    case 'get':
      need(
        args.length > 0,
        'kubectl get needs a resource type, e.g. "get pods".',
        'Use api-resources to list the types.',
      );
      resourceRefs(args);
      break;
    case 'describe':
      need(args.length > 0, 'kubectl describe needs a resource type and usually a name, e.g. "describe pod web-0".');
      resourceRefs(args);
      break;
    case 'delete':
      need(args.length > 0, 'kubectl delete needs TYPE NAME… or TYPE/NAME…, or TYPE with -l.');
      need(
        resourceRefs(args).every((r) => r.name) || flags.selector !== undefined || flags.fieldSelector !== undefined,
        'kubectl delete needs object names or a selector (-l / --field-selector); deleting every object of a type is refused.',
      );
      break;
    case 'logs':
      need(
        args.length >= 1 && args.length <= 2,
        'kubectl logs needs a pod: "logs POD [-c CONTAINER]" or "logs deploy/NAME".',
      );
      if (args.length === 2) {
        validateName(args[1] as string, 'container name');
        if (flags.container) need(false, 'Give the container either as a second argument or with -c, not both.');
        flags.container = args[1] as string;
        args.pop();
      }
      if ((args[0] as string).includes('/')) resourceRefs(args);
      else validateName(args[0] as string, 'pod name');
      break;
    case 'top':
      need(args.length <= 1, `kubectl top ${cmd.sub} takes at most one name.`);
      if (args[0]) validateName(args[0]);
      break;
    case 'explain':
      need(args.length === 1, 'kubectl explain takes one TYPE[.field.path], e.g. "explain pod.spec.containers".');
      need(/^[a-zA-Z][a-zA-Z0-9.-]*$/.test(args[0] as string), `"${args[0]}" is not TYPE[.field.path].`);
      break;
    case 'events':
    case 'api-resources':
    case 'api-versions':
    case 'version':
    case 'cluster-info':
      need(args.length === 0, `kubectl ${verb} takes no arguments here.`);
      if (flags.forObject) {
        const refs = resourceRefs([flags.forObject]);
        need(refs.length === 1 && refs[0]?.name !== undefined, '--for takes TYPE/NAME, e.g. --for pod/web-0.');
      }
      break;
    case 'apply':
    case 'create':
      need(
        args.length === 0,
        `kubectl ${verb} takes its objects from the manifest argument (YAML or JSON, several documents allowed), not from arguments.`,
        'Put the manifest text in the manifest argument.',
      );
      break;
    case 'scale':
      need(flags.replicas !== undefined, 'kubectl scale needs --replicas=N.');
      need(args.length > 0 && resourceRefs(args).every((r) => r.name), 'kubectl scale needs TYPE NAME or TYPE/NAME.');
      break;
    case 'rollout':
      need(
        args.length > 0 && resourceRefs(args).every((r) => r.name),
        `kubectl rollout ${cmd.sub} needs TYPE/NAME, e.g. deployment/web.`,
      );
      break;
    case 'label':
    case 'annotate': {
      const changes = args.filter((a) => a.includes('=') || a.endsWith('-'));
      const targets = args.filter((a) => !changes.includes(a));
      need(changes.length > 0, `kubectl ${verb} needs at least one key=value or key- change.`);
      need(targets.length > 0, `kubectl ${verb} needs TYPE NAME, TYPE/NAME or TYPE with -l.`);
      parseKeyChanges(changes, verb === 'label' ? 'label' : 'annotation');
      need(
        resourceRefs(targets).every((r) => r.name) || flags.selector !== undefined,
        `kubectl ${verb} needs object names or -l; changing every object of a type is refused.`,
      );
      break;
    }
    case 'patch':
      need(flags.patch !== undefined, 'kubectl patch needs -p/--patch with the patch (JSON or YAML).');
      need(args.length > 0 && resourceRefs(args).every((r) => r.name), 'kubectl patch needs TYPE NAME or TYPE/NAME.');
      break;
    case 'cordon':
    case 'uncordon':
    case 'drain':
      need(args.length === 1, `kubectl ${verb} takes one node name.`);
      validateName(args[0] as string, 'node name');
      break;
    default:
      break;
  }
}

import type { KubectlCommand } from './command.js';
import type { Discovery } from './discovery.js';
import type { KubeApi } from './rest.js';

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ kind?: string; name?: string; uid?: string; controller?: boolean }>;
    resourceVersion?: string;
    creationTimestamp?: string;
    generation?: number;
    managedFields?: unknown;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  apiVersion?: string;
  kind?: string;
  items?: T[];
  metadata?: { continue?: string; remainingItemCount?: number; resourceVersion?: string };
}

/** What one kubectl command answers. */
export interface KubectlResult {
  /** The command's text for the user (table, YAML, log …). */
  output: string;
  /** The objects, for -o json/yaml and write verbs (Secret data masked unless allowed). */
  items?: KubeObject[];
  /** True when the answer is not complete (a list page, a log tail, a drain stopped). */
  truncated: boolean;
  /** The token for the next page of a list (`--continue=<token>`). */
  continue?: string;
  notes: string[];
}

export interface ExecSettings {
  listMaxItems: number;
  logMaxLines: number;
  logMaxBytes: number;
  allowSecretData: boolean;
  /** The longest a drain or a waiting rollout status may run (bounded by the tool's timeout). */
  maxWaitSeconds: number;
}

/** Everything a verb needs: the API of one cluster, its discovery, the limits. */
export interface ExecContext {
  api: KubeApi;
  discovery(): Promise<Discovery>;
  settings: ExecSettings;
  progress?: (progress: number, total?: number, message?: string) => Promise<void>;
  /** For tests: the clock (ms) and the wait between drain retries. */
  now?: () => number;
  retryIntervalMs?: number;
}

export type Verb = (cmd: KubectlCommand, ctx: ExecContext, manifest?: string) => Promise<KubectlResult>;

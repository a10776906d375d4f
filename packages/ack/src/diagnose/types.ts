import { z } from 'zod';
import type {
  KubeEvent,
  Node,
  PersistentVolumeClaim,
  Pod,
  PodMetrics,
  ReplicaSet,
  Workload,
  WorkloadKind,
} from './kube-types.js';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const VERDICTS = ['healthy', 'degraded', 'failing'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const FindingObjectSchema = z.object({
  kind: z.string().describe('Kind of the object the finding is about (Pod, Deployment, Node, PersistentVolumeClaim…)'),
  namespace: z.string().optional().describe('Its namespace (absent for nodes)'),
  name: z.string(),
  container: z.string().optional().describe('The container, when the finding is about one'),
});

export const FindingSchema = z.object({
  rule_id: z.string().describe('Stable id of the rule that found this'),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  evidence: z.array(z.string()).describe('What was observed: statuses, event messages, limits, usage, log lines'),
  fix: z.string().describe('What to do about it'),
  object: FindingObjectSchema,
});
export type Finding = z.infer<typeof FindingSchema>;
export type FindingObject = z.infer<typeof FindingObjectSchema>;

/** The last lines of one container's log. */
export interface LogTail {
  container: string;
  previous: boolean;
  lines: string[];
}

/** One pod and what was fetched about it. */
export interface InspectedPod {
  pod: Pod;
  events: KubeEvent[];
  /** Absent when the metrics API did not answer or the pod is not running. */
  metrics?: PodMetrics;
  logs: LogTail[];
}

/** A PersistentVolumeClaim named by a pending pod; `claim` is absent when it does not exist. */
export interface ClaimState {
  name: string;
  claim?: PersistentVolumeClaim;
  events: KubeEvent[];
}

/** Everything the rules judge: fetched once, judged by pure functions. */
export interface WorkloadSnapshot {
  /** Epoch ms the snapshot describes (the rules' "now"). */
  now: number;
  target: { kind: WorkloadKind; namespace: string; name: string };
  workload: Workload;
  workloadEvents: KubeEvent[];
  /** The pods that belong to the workload (all of them, inspected or not). */
  pods: Pod[];
  /** The pods looked at in detail. */
  inspected: InspectedPod[];
  /** ReplicaSets the Deployment owns (empty for other kinds). */
  replicaSets: ReplicaSet[];
  /** Nodes of the inspected pods, by name; null when the node no longer exists. */
  nodes: Record<string, Node | null>;
  /** All nodes, read only when a pod is waiting for one (absent otherwise or when unreadable). */
  clusterNodes?: Node[];
  /** Claims of pods that are not scheduled, by claim name. */
  claims: Record<string, ClaimState>;
}

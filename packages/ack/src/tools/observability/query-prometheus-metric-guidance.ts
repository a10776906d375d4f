import { z } from 'zod';
import {
  GUIDANCE_CATEGORIES,
  GUIDANCE_RESOURCES,
  type GuidanceResource,
  METRIC_GUIDANCE,
} from '../../observability/metric-guidance.js';
import { ackTool } from '../context.js';

const RESOURCE_ALIASES: Record<string, GuidanceResource> = {
  nodes: 'node',
  pods: 'pod',
  po: 'pod',
  containers: 'container',
  deploy: 'deployment',
  deployments: 'deployment',
  sts: 'statefulset',
  statefulsets: 'statefulset',
  dns: 'coredns',
  ing: 'ingress',
  ingresses: 'ingress',
  horizontalpodautoscaler: 'hpa',
};

export const queryPrometheusMetricGuidance = ackTool({
  name: 'query_prometheus_metric_guidance',
  title: 'Prometheus metrics and PromQL for a resource',
  description:
    'The metric names and ready, tested PromQL (with what each shows, its severity and what to do) for a Kubernetes resource ' +
    '(node, pod, container, deployment, statefulset, coredns, ingress, hpa) and a category (cpu, memory, network, disk, state). ' +
    'Run the expressions with query_prometheus; add label matchers (namespace, pod) to narrow them.',
  access: 'read',
  input: z.object({
    resource_label: z
      .preprocess(
        (v) => (typeof v === 'string' ? (RESOURCE_ALIASES[v.trim().toLowerCase()] ?? v.trim().toLowerCase()) : v),
        z.enum(GUIDANCE_RESOURCES),
      )
      .describe(`Resource: ${GUIDANCE_RESOURCES.join(', ')}`),
    metric_category: z
      .preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(GUIDANCE_CATEGORIES))
      .describe(`Category: ${GUIDANCE_CATEGORIES.join(', ')}`),
  }),
  output: z.object({
    resource_label: z.string(),
    metric_category: z.string(),
    metrics: z.array(z.object({ name: z.string(), type: z.string(), source: z.string(), description: z.string() })),
    promql_samples: z.array(
      z.object({
        rule_name: z.string(),
        description: z.string(),
        expression: z.string(),
        severity: z.string(),
        recommendation_sop: z.string(),
      }),
    ),
    available_categories: z.array(z.string()).describe('Categories with guidance for this resource'),
  }),
  async handler({ resource_label, metric_category }) {
    const byCategory = METRIC_GUIDANCE[resource_label];
    const entry = byCategory[metric_category];
    return {
      resource_label,
      metric_category,
      metrics: entry?.metrics ?? [],
      promql_samples: entry?.promql_samples ?? [],
      available_categories: Object.keys(byCategory),
    };
  },
});

/**
 * Metric names and tested PromQL per Kubernetes resource and category, for the metrics an ACK
 * cluster's Prometheus (ARMS or self-managed) collects: cAdvisor (container_*), kube-state-metrics
 * (kube_*), node-exporter (node_*), CoreDNS (coredns_*) and the NGINX ingress controller
 * (nginx_ingress_controller_*). Every expression is parsed by a real Prometheus in the tests.
 */

export const GUIDANCE_RESOURCES = [
  'node',
  'pod',
  'container',
  'deployment',
  'statefulset',
  'coredns',
  'ingress',
  'hpa',
] as const;
export const GUIDANCE_CATEGORIES = ['cpu', 'memory', 'network', 'disk', 'state'] as const;
export type GuidanceResource = (typeof GUIDANCE_RESOURCES)[number];
export type GuidanceCategory = (typeof GUIDANCE_CATEGORIES)[number];

export interface MetricDefinition {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  source: 'cadvisor' | 'kube-state-metrics' | 'node-exporter' | 'coredns' | 'ingress-nginx';
  description: string;
}

export interface PromqlSample {
  rule_name: string;
  description: string;
  expression: string;
  severity: 'info' | 'warning' | 'critical';
  recommendation_sop: string;
}

export interface GuidanceEntry {
  metrics: MetricDefinition[];
  promql_samples: PromqlSample[];
}

const m = (
  name: string,
  type: MetricDefinition['type'],
  source: MetricDefinition['source'],
  description: string,
): MetricDefinition => ({ name, type, source, description });

const q = (
  rule_name: string,
  description: string,
  expression: string,
  severity: PromqlSample['severity'],
  recommendation_sop: string,
): PromqlSample => ({ rule_name, description, expression, severity, recommendation_sop });

const CONTAINER = 'container!="",container!="POD",image!=""';

export const METRIC_GUIDANCE: Record<GuidanceResource, Partial<Record<GuidanceCategory, GuidanceEntry>>> = {
  node: {
    cpu: {
      metrics: [
        m('node_cpu_seconds_total', 'counter', 'node-exporter', 'CPU seconds per core and mode'),
        m('node_load1', 'gauge', 'node-exporter', '1-minute load average'),
        m('kube_node_status_allocatable', 'gauge', 'kube-state-metrics', 'Allocatable resources (resource="cpu")'),
      ],
      promql_samples: [
        q(
          'NodeCpuUsageHigh',
          'CPU busy percentage per node',
          '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))',
          'warning',
          'Above 85% for 10 minutes: find the busiest pods on the node (pod cpu guidance), spread them or add nodes.',
        ),
        q(
          'NodeCpuRequestsCommitted',
          'Share of allocatable CPU already requested by pods, per node',
          'sum by (node) (kube_pod_container_resource_requests{resource="cpu"}) / sum by (node) (kube_node_status_allocatable{resource="cpu"})',
          'info',
          'Near 1 the scheduler cannot place new pods on the node; scale the node pool or lower requests.',
        ),
        q(
          'NodeLoadPerCore',
          'Load average per CPU core',
          'node_load1 / on (instance) count by (instance) (node_cpu_seconds_total{mode="idle"})',
          'warning',
          'Above 2 for long: CPU saturation or processes blocked on I/O; check disk I/O wait as well.',
        ),
      ],
    },
    memory: {
      metrics: [
        m('node_memory_MemAvailable_bytes', 'gauge', 'node-exporter', 'Memory available for new work'),
        m('node_memory_MemTotal_bytes', 'gauge', 'node-exporter', 'Total memory'),
        m('node_vmstat_oom_kill', 'counter', 'node-exporter', 'Kernel OOM kills'),
      ],
      promql_samples: [
        q(
          'NodeMemoryUsageHigh',
          'Memory used percentage per node',
          '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)',
          'warning',
          'Above 90%: pods risk eviction and OOM kills; find the largest consumers and set memory limits.',
        ),
        q(
          'NodeOomKills',
          'Kernel OOM kills in the last hour per node',
          'increase(node_vmstat_oom_kill[1h])',
          'critical',
          'Any increase: a process was killed for memory; check pods restarted with reason OOMKilled on the node.',
        ),
      ],
    },
    network: {
      metrics: [
        m('node_network_receive_bytes_total', 'counter', 'node-exporter', 'Bytes received per interface'),
        m('node_network_transmit_bytes_total', 'counter', 'node-exporter', 'Bytes sent per interface'),
        m('node_network_receive_drop_total', 'counter', 'node-exporter', 'Received packets dropped'),
      ],
      promql_samples: [
        q(
          'NodeNetworkReceiveRate',
          'Bytes per second received per node (physical interfaces)',
          'sum by (instance) (rate(node_network_receive_bytes_total{device!~"lo|veth.*|cali.*|docker.*"}[5m]))',
          'info',
          'Compare with the instance type bandwidth; sustained saturation needs a larger instance type.',
        ),
        q(
          'NodeNetworkDrops',
          'Received packets dropped per second per node',
          'sum by (instance) (rate(node_network_receive_drop_total[5m]))',
          'warning',
          'Persistent drops: check conntrack table usage and the instance bandwidth limit.',
        ),
      ],
    },
    disk: {
      metrics: [
        m('node_filesystem_avail_bytes', 'gauge', 'node-exporter', 'Free bytes per filesystem'),
        m('node_filesystem_size_bytes', 'gauge', 'node-exporter', 'Size per filesystem'),
        m('node_disk_io_time_seconds_total', 'counter', 'node-exporter', 'Seconds spent doing I/O'),
      ],
      promql_samples: [
        q(
          'NodeFilesystemUsageHigh',
          'Used percentage per filesystem',
          '100 * (1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"})',
          'warning',
          'Above 85% the kubelet starts image garbage collection and then evicts pods; clean logs and images or grow the disk.',
        ),
        q(
          'NodeDiskBusy',
          'Share of time each disk is busy',
          'rate(node_disk_io_time_seconds_total[5m])',
          'warning',
          'Near 1 the disk is saturated; move I/O-heavy pods or use a faster disk category.',
        ),
      ],
    },
    state: {
      metrics: [
        m(
          'kube_node_status_condition',
          'gauge',
          'kube-state-metrics',
          'Node conditions (Ready, MemoryPressure, DiskPressure …)',
        ),
        m('kube_node_spec_unschedulable', 'gauge', 'kube-state-metrics', '1 when the node is cordoned'),
      ],
      promql_samples: [
        q(
          'NodeNotReady',
          'Nodes whose Ready condition is not true',
          'kube_node_status_condition{condition="Ready",status="true"} == 0',
          'critical',
          'Describe the node, check kubelet and container runtime on it; ACK node diagnosis helps.',
        ),
        q(
          'NodePressure',
          'Nodes reporting memory, disk or PID pressure',
          'kube_node_status_condition{condition=~"MemoryPressure|DiskPressure|PIDPressure",status="true"} == 1',
          'warning',
          'Pressure makes the kubelet evict pods; free the resource named by the condition.',
        ),
        q(
          'NodeCordoned',
          'Cordoned (unschedulable) nodes',
          'kube_node_spec_unschedulable == 1',
          'info',
          'Expected during drains and upgrades; uncordon once the work is done.',
        ),
      ],
    },
  },
  pod: {
    cpu: {
      metrics: [
        m('container_cpu_usage_seconds_total', 'counter', 'cadvisor', 'CPU seconds used per container'),
        m(
          'container_cpu_cfs_throttled_periods_total',
          'counter',
          'cadvisor',
          'CFS periods in which the container was throttled',
        ),
        m('kube_pod_container_resource_limits', 'gauge', 'kube-state-metrics', 'Container limits (resource="cpu")'),
      ],
      promql_samples: [
        q(
          'PodCpuUsage',
          'CPU cores used per pod',
          `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[5m]))`,
          'info',
          'Sort with topk(10, …) to find the largest consumers.',
        ),
        q(
          'PodCpuNearLimit',
          'CPU use as a share of the CPU limit per pod',
          `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="cpu"})`,
          'warning',
          'Above 0.9 the pod is throttled; raise the limit or scale out.',
        ),
        q(
          'PodCpuThrottled',
          'Share of CFS periods throttled per pod',
          `sum by (namespace, pod) (rate(container_cpu_cfs_throttled_periods_total{${CONTAINER}}[5m])) / sum by (namespace, pod) (rate(container_cpu_cfs_periods_total{${CONTAINER}}[5m]))`,
          'warning',
          'Above 0.25 latency suffers; raise the CPU limit.',
        ),
      ],
    },
    memory: {
      metrics: [
        m(
          'container_memory_working_set_bytes',
          'gauge',
          'cadvisor',
          'Working set (what the OOM killer judges) per container',
        ),
        m('kube_pod_container_resource_limits', 'gauge', 'kube-state-metrics', 'Container limits (resource="memory")'),
        m(
          'kube_pod_container_status_last_terminated_reason',
          'gauge',
          'kube-state-metrics',
          'Last termination reason (OOMKilled …)',
        ),
      ],
      promql_samples: [
        q(
          'PodMemoryWorkingSet',
          'Working-set bytes per pod',
          `sum by (namespace, pod) (container_memory_working_set_bytes{${CONTAINER}})`,
          'info',
          'Sort with topk(10, …) to find the largest consumers.',
        ),
        q(
          'PodMemoryNearLimit',
          'Working set as a share of the memory limit per pod',
          `sum by (namespace, pod) (container_memory_working_set_bytes{${CONTAINER}}) / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="memory"})`,
          'critical',
          'Above 0.9 the next allocation peak is an OOM kill; raise the limit or fix the leak.',
        ),
        q(
          'PodOomKilled',
          'Containers whose last termination was an OOM kill',
          'kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1',
          'critical',
          'Raise the memory limit above the peak working set, or find the leak (the working set climbs to the limit).',
        ),
      ],
    },
    network: {
      metrics: [
        m('container_network_receive_bytes_total', 'counter', 'cadvisor', 'Bytes received per pod network interface'),
        m('container_network_transmit_bytes_total', 'counter', 'cadvisor', 'Bytes sent per pod network interface'),
        m('container_network_receive_packets_dropped_total', 'counter', 'cadvisor', 'Received packets dropped'),
      ],
      promql_samples: [
        q(
          'PodNetworkReceiveRate',
          'Bytes per second received per pod',
          'sum by (namespace, pod) (rate(container_network_receive_bytes_total[5m]))',
          'info',
          'Sort with topk to find the busiest pods.',
        ),
        q(
          'PodNetworkTransmitRate',
          'Bytes per second sent per pod',
          'sum by (namespace, pod) (rate(container_network_transmit_bytes_total[5m]))',
          'info',
          'Sort with topk to find the busiest pods.',
        ),
      ],
    },
    disk: {
      metrics: [
        m('container_fs_usage_bytes', 'gauge', 'cadvisor', 'Filesystem bytes used by a container'),
        m('kubelet_volume_stats_used_bytes', 'gauge', 'cadvisor', 'Bytes used on a persistent volume'),
        m('kubelet_volume_stats_capacity_bytes', 'gauge', 'cadvisor', 'Capacity of a persistent volume'),
      ],
      promql_samples: [
        q(
          'PodVolumeUsageHigh',
          'Used share of each persistent volume claim',
          'kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes',
          'warning',
          'Above 0.85: expand the PVC or clean up before the application fails writes.',
        ),
        q(
          'PodFilesystemUsage',
          'Container filesystem bytes per pod',
          `sum by (namespace, pod) (container_fs_usage_bytes{${CONTAINER}})`,
          'info',
          'Large writable layers get pods evicted under node disk pressure; write to volumes instead.',
        ),
      ],
    },
    state: {
      metrics: [
        m('kube_pod_status_phase', 'gauge', 'kube-state-metrics', 'Pod phase (Pending, Running, Failed …)'),
        m('kube_pod_container_status_restarts_total', 'counter', 'kube-state-metrics', 'Container restarts'),
        m(
          'kube_pod_container_status_waiting_reason',
          'gauge',
          'kube-state-metrics',
          'Why a container waits (CrashLoopBackOff …)',
        ),
      ],
      promql_samples: [
        q(
          'PodRestarting',
          'Container restarts in the last hour per pod',
          'sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total[1h])) > 0',
          'warning',
          'Read the previous container log and the last termination reason (OOMKilled, Error).',
        ),
        q(
          'PodCrashLooping',
          'Containers waiting in CrashLoopBackOff',
          'kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"} == 1',
          'critical',
          'diagnose_workload or investigate_incident explain the cause.',
        ),
        q(
          'PodNotRunning',
          'Pods stuck in Pending or Failed',
          'sum by (namespace, pod, phase) (kube_pod_status_phase{phase=~"Pending|Failed"}) > 0',
          'warning',
          'Pending: read the scheduling events; Failed: read the container status.',
        ),
      ],
    },
  },
  container: {
    cpu: {
      metrics: [m('container_cpu_usage_seconds_total', 'counter', 'cadvisor', 'CPU seconds used per container')],
      promql_samples: [
        q(
          'ContainerCpuUsage',
          'CPU cores used per container',
          `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[5m]))`,
          'info',
          'Compare with the container request to right-size it.',
        ),
        q(
          'ContainerCpuOverRequest',
          'CPU use as a share of the CPU request per container',
          `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[5m])) / sum by (namespace, pod, container) (kube_pod_container_resource_requests{resource="cpu"})`,
          'info',
          'Far below 1: the request wastes capacity; far above: the scheduler under-counts the container.',
        ),
      ],
    },
    memory: {
      metrics: [
        m('container_memory_working_set_bytes', 'gauge', 'cadvisor', 'Working set per container'),
        m('container_memory_rss', 'gauge', 'cadvisor', 'Resident set size per container'),
      ],
      promql_samples: [
        q(
          'ContainerMemoryNearLimit',
          'Working set as a share of the memory limit per container',
          `sum by (namespace, pod, container) (container_memory_working_set_bytes{${CONTAINER}}) / sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"})`,
          'critical',
          'Above 0.9: raise the limit or fix the leak before the OOM kill.',
        ),
        q(
          'ContainerMemoryGrowth',
          'Working-set growth over the last hour per container (bytes per second)',
          `deriv(container_memory_working_set_bytes{${CONTAINER}}[1h])`,
          'warning',
          'A steady positive slope is a leak; the time to the limit is (limit - working set) / slope.',
        ),
      ],
    },
    state: {
      metrics: [
        m('kube_pod_container_status_restarts_total', 'counter', 'kube-state-metrics', 'Restarts per container'),
        m('kube_pod_container_status_ready', 'gauge', 'kube-state-metrics', '1 when the container is ready'),
      ],
      promql_samples: [
        q(
          'ContainerRestarts',
          'Restarts in the last hour per container',
          'increase(kube_pod_container_status_restarts_total[1h]) > 0',
          'warning',
          'Read the previous log of the container (kubectl logs --previous).',
        ),
        q(
          'ContainerNotReady',
          'Containers not ready',
          'kube_pod_container_status_ready == 0',
          'warning',
          'Check the readiness probe and the container log.',
        ),
      ],
    },
  },
  deployment: {
    state: {
      metrics: [
        m('kube_deployment_spec_replicas', 'gauge', 'kube-state-metrics', 'Desired replicas'),
        m('kube_deployment_status_replicas_available', 'gauge', 'kube-state-metrics', 'Available replicas'),
        m('kube_deployment_status_replicas_unavailable', 'gauge', 'kube-state-metrics', 'Unavailable replicas'),
      ],
      promql_samples: [
        q(
          'DeploymentReplicasMismatch',
          'Deployments with fewer available replicas than desired',
          'kube_deployment_spec_replicas - kube_deployment_status_replicas_available > 0',
          'warning',
          'diagnose_workload shows why the missing replicas are not available.',
        ),
        q(
          'DeploymentRolloutStuck',
          'Deployments whose observed generation lags the spec',
          'kube_deployment_status_observed_generation != kube_deployment_metadata_generation',
          'warning',
          'A rollout is pending or stuck; read the deployment conditions.',
        ),
      ],
    },
    cpu: {
      metrics: [m('container_cpu_usage_seconds_total', 'counter', 'cadvisor', 'CPU seconds used per container')],
      promql_samples: [
        q(
          'DeploymentCpuUsage',
          "CPU cores used by each deployment's pods (through their ReplicaSet owner)",
          `sum by (namespace, owner_name) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[5m]) * on (namespace, pod) group_left (owner_name) kube_pod_owner{owner_kind="ReplicaSet"})`,
          'info',
          'owner_name is the ReplicaSet: the deployment name plus a hash.',
        ),
      ],
    },
    memory: {
      metrics: [m('container_memory_working_set_bytes', 'gauge', 'cadvisor', 'Working set per container')],
      promql_samples: [
        q(
          'DeploymentMemoryUsage',
          "Working-set bytes of each deployment's pods (through their ReplicaSet owner)",
          `sum by (namespace, owner_name) (container_memory_working_set_bytes{${CONTAINER}} * on (namespace, pod) group_left (owner_name) kube_pod_owner{owner_kind="ReplicaSet"})`,
          'info',
          'owner_name is the ReplicaSet: the deployment name plus a hash.',
        ),
      ],
    },
  },
  statefulset: {
    state: {
      metrics: [
        m('kube_statefulset_replicas', 'gauge', 'kube-state-metrics', 'Desired replicas'),
        m('kube_statefulset_status_replicas_ready', 'gauge', 'kube-state-metrics', 'Ready replicas'),
      ],
      promql_samples: [
        q(
          'StatefulSetReplicasMismatch',
          'StatefulSets with fewer ready replicas than desired',
          'kube_statefulset_replicas - kube_statefulset_status_replicas_ready > 0',
          'warning',
          'StatefulSets start pods in order: the first unready ordinal blocks the rest.',
        ),
      ],
    },
  },
  coredns: {
    state: {
      metrics: [
        m('coredns_dns_requests_total', 'counter', 'coredns', 'DNS requests'),
        m('coredns_dns_responses_total', 'counter', 'coredns', 'DNS responses by rcode'),
        m('coredns_panics_total', 'counter', 'coredns', 'Panics'),
      ],
      promql_samples: [
        q(
          'CorednsServfailRatio',
          'Share of responses that are SERVFAIL',
          'sum(rate(coredns_dns_responses_total{rcode="SERVFAIL"}[5m])) / sum(rate(coredns_dns_responses_total[5m]))',
          'critical',
          'Upstream resolvers fail or time out; check the forward plugin target and node DNS.',
        ),
        q(
          'CorednsRequestRate',
          'DNS requests per second per CoreDNS pod',
          'sum by (pod) (rate(coredns_dns_requests_total[5m]))',
          'info',
          'Very uneven rates point at NodeLocal DNSCache or client-side caching issues.',
        ),
      ],
    },
    network: {
      metrics: [m('coredns_dns_request_duration_seconds', 'histogram', 'coredns', 'Request latency')],
      promql_samples: [
        q(
          'CorednsLatencyP99',
          '99th percentile DNS latency',
          'histogram_quantile(0.99, sum by (le) (rate(coredns_dns_request_duration_seconds_bucket[5m])))',
          'warning',
          'Above 0.1 s: scale CoreDNS or enable NodeLocal DNSCache.',
        ),
      ],
    },
    cpu: {
      metrics: [m('container_cpu_usage_seconds_total', 'counter', 'cadvisor', 'CPU seconds used per container')],
      promql_samples: [
        q(
          'CorednsCpuUsage',
          'CPU cores used per CoreDNS pod',
          'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="kube-system",pod=~"coredns-.*",container!=""}[5m]))',
          'info',
          'Near the limit CoreDNS answers slowly; raise the limit or add replicas.',
        ),
      ],
    },
    memory: {
      metrics: [m('container_memory_working_set_bytes', 'gauge', 'cadvisor', 'Working set per container')],
      promql_samples: [
        q(
          'CorednsMemoryUsage',
          'Working-set bytes per CoreDNS pod',
          'sum by (pod) (container_memory_working_set_bytes{namespace="kube-system",pod=~"coredns-.*",container!=""})',
          'info',
          'Memory grows with the cache size and the number of services.',
        ),
      ],
    },
  },
  ingress: {
    network: {
      metrics: [
        m('nginx_ingress_controller_requests', 'counter', 'ingress-nginx', 'Requests by ingress, host and status'),
        m('nginx_ingress_controller_request_duration_seconds', 'histogram', 'ingress-nginx', 'Request latency'),
      ],
      promql_samples: [
        q(
          'IngressRequestRate',
          'Requests per second per ingress',
          'sum by (namespace, ingress) (rate(nginx_ingress_controller_requests[5m]))',
          'info',
          'Baseline traffic; compare with the error ratio.',
        ),
        q(
          'Ingress5xxRatio',
          'Share of 5xx answers per ingress',
          'sum by (namespace, ingress) (rate(nginx_ingress_controller_requests{status=~"5.."}[5m])) / sum by (namespace, ingress) (rate(nginx_ingress_controller_requests[5m]))',
          'critical',
          'Above 0.05: check the backend service endpoints and pods (502/503 = no ready backend).',
        ),
        q(
          'IngressLatencyP95',
          '95th percentile request latency per ingress',
          'histogram_quantile(0.95, sum by (le, namespace, ingress) (rate(nginx_ingress_controller_request_duration_seconds_bucket[5m])))',
          'warning',
          'Slow backends or saturated controller pods; compare with the backend latency.',
        ),
      ],
    },
    state: {
      metrics: [
        m(
          'nginx_ingress_controller_config_last_reload_successful',
          'gauge',
          'ingress-nginx',
          '1 when the last reload worked',
        ),
      ],
      promql_samples: [
        q(
          'IngressReloadFailed',
          'Controllers whose last configuration reload failed',
          'nginx_ingress_controller_config_last_reload_successful == 0',
          'critical',
          'A bad annotation or snippet breaks the NGINX configuration; read the controller log.',
        ),
      ],
    },
  },
  hpa: {
    state: {
      metrics: [
        m('kube_horizontalpodautoscaler_status_current_replicas', 'gauge', 'kube-state-metrics', 'Current replicas'),
        m('kube_horizontalpodautoscaler_spec_max_replicas', 'gauge', 'kube-state-metrics', 'Maximum replicas'),
        m('kube_horizontalpodautoscaler_status_desired_replicas', 'gauge', 'kube-state-metrics', 'Desired replicas'),
      ],
      promql_samples: [
        q(
          'HpaAtMaximum',
          'Autoscalers running at their maximum replicas',
          'kube_horizontalpodautoscaler_status_current_replicas >= on (namespace, horizontalpodautoscaler) kube_horizontalpodautoscaler_spec_max_replicas',
          'warning',
          'The workload wants more replicas than allowed; raise maxReplicas or make pods cheaper.',
        ),
        q(
          'HpaDesiredNotReached',
          'Autoscalers whose desired replicas differ from the current ones',
          'kube_horizontalpodautoscaler_status_desired_replicas != on (namespace, horizontalpodautoscaler) kube_horizontalpodautoscaler_status_current_replicas',
          'info',
          'Persistent gaps mean new pods cannot start (quota, scheduling); read the HPA events.',
        ),
      ],
    },
    cpu: {
      metrics: [
        m(
          'kube_horizontalpodautoscaler_status_target_metric',
          'gauge',
          'kube-state-metrics',
          'Current value of the target metric',
        ),
      ],
      promql_samples: [
        q(
          'HpaTargetMetric',
          'Current value of each autoscaler target metric',
          'kube_horizontalpodautoscaler_status_target_metric',
          'info',
          'Compared with kube_horizontalpodautoscaler_spec_target_metric it shows how far from the target the workload runs.',
        ),
      ],
    },
  },
};

/** The queries investigate_incident asks about one pod (or the pods of a workload, by name prefix). */
export function incidentQueries(namespace: string, podPattern: string) {
  const sel = `namespace="${namespace}",pod=~"${podPattern}"`;
  return {
    restarts: `sum by (pod, container) (kube_pod_container_status_restarts_total{${sel}})`,
    memory_working_set: `sum by (pod, container) (container_memory_working_set_bytes{${sel},container!="",container!="POD"})`,
    memory_limit: `sum by (pod, container) (kube_pod_container_resource_limits{${sel},resource="memory"})`,
    cpu_usage: `sum by (pod, container) (rate(container_cpu_usage_seconds_total{${sel},container!="",container!="POD"}[5m]))`,
    cpu_limit: `sum by (pod, container) (kube_pod_container_resource_limits{${sel},resource="cpu"})`,
  } as const;
}

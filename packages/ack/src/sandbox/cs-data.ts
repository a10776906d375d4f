/**
 * The simulated ACK account the CS fake serves: two clusters (one healthy in cn-hangzhou, one in
 * cn-beijing with a failed node pool), their node pools, nodes, tasks, a finished diagnosis and an
 * inspection report — all in the CS API's wire shapes. Invented ids and addresses throughout.
 * The state is mutable: the fake's write operations change it as CS would.
 */

export interface SandboxNodePool {
  cluster_id: string;
  nodepool_info: {
    nodepool_id: string;
    name: string;
    type: string;
    is_default: boolean;
    region_id: string;
    created: string;
    updated: string;
  };
  status: {
    state: string;
    total_nodes: number;
    healthy_nodes: number;
    serving_nodes: number;
    initial_nodes: number;
    failed_nodes: number;
    offline_nodes: number;
    removing_nodes: number;
  };
  scaling_group: {
    desired_size: number;
    instance_types: string[];
    instance_charge_type: string;
    vswitch_ids: string[];
  };
  auto_scaling: { enable: boolean; min_instances: number; max_instances: number; type: string };
  kubernetes_config: { runtime: string; runtime_version: string; labels: Array<{ key: string; value: string }> };
}

export interface SandboxNode {
  cluster_id: string;
  instance_id: string;
  node_name: string;
  host_name: string;
  ip_address: string[];
  node_status: string;
  state: string;
  nodepool_id: string;
  instance_type: string;
  instance_status: string;
  instance_charge_type: string;
  creation_time: string;
  error_message: string;
  is_aliyun_node: boolean;
}

export interface SandboxTask {
  task_id: string;
  cluster_id: string;
  task_type: string;
  state: string;
  created: string;
  updated: string;
  current_stage: string;
  target: { id: string; type: string };
  parameters: Record<string, unknown>;
  stages: Array<{
    state: string;
    start_time: string;
    end_time: string;
    message: string;
    outputs: Record<string, unknown>;
  }>;
  events: Array<Record<string, string>>;
  task_result: Array<{ data: string; status: string }>;
  error: { code: string; message: string };
  /** DescribeTaskInfo reads left before a running task settles. */
  readsUntilDone: number;
  /** The state it settles in. */
  finalState: string;
}

export interface SandboxDiagnosis {
  cluster_id: string;
  diagnosis_id: string;
  type: string;
  target: string;
  /** Status after each successive read, the last one repeated: 0 created, 1 running, 2 completed. */
  statuses: number[];
  reads: number;
  created: string;
  result: string;
}

export interface SandboxInspectReport {
  cluster_id: string;
  reportId: string;
  startTime: string;
  endTime: string;
  /** Detail reads left before a running report completes. */
  readsUntilDone: number;
  status: string;
  summary: { code: string; errorCount: number; warnCount: number; normalCount: number; adviceCount: number };
  checkItemResults: Array<{
    category: string;
    name: string;
    targetType: string;
    targets: string[];
    description: string;
    fix: string;
    checkItemUid: string;
    level: string;
    result: string;
  }>;
}

export interface SandboxCluster {
  cluster_id: string;
  name: string;
  region_id: string;
  zone_id: string;
  state: string;
  cluster_type: string;
  cluster_spec: string;
  profile: string;
  current_version: string;
  init_version: string;
  next_version: string;
  created: string;
  updated: string;
  size: number;
  vpc_id: string;
  vswitch_ids: string[];
  security_group_id: string;
  resource_group_id: string;
  network_mode: string;
  ip_stack: string;
  proxy_mode: string;
  container_cidr: string;
  service_cidr: string;
  cluster_domain: string;
  timezone: string;
  deletion_protection: boolean;
  private_zone: boolean;
  master_url: string;
  meta_data: string;
  tags: Array<{ key: string; value: string }>;
}

/** What CS says about a cluster's log collection (GetClusterAuditProject, CheckControlPlaneLogEnable). */
export interface SandboxClusterLogs {
  audit: { audit_enabled: boolean; sls_project_name: string };
  controlplane: { log_project: string; log_ttl: string; aliuid: string; components: string[] };
}

export interface CsSandboxState {
  clusters: SandboxCluster[];
  /** Log collection per cluster id; the logs themselves are the simulated SLS's. */
  clusterLogs: Record<string, SandboxClusterLogs>;
  nodepools: SandboxNodePool[];
  nodes: SandboxNode[];
  tasks: SandboxTask[];
  diagnoses: SandboxDiagnosis[];
  reports: SandboxInspectReport[];
  /** The statuses a newly created diagnosis goes through, one per read (0 created, 1 running, 2 completed). */
  newDiagnosisStatuses: number[];
  /** A counter for generated ids. */
  sequence: number;
}

export const PROD_CLUSTER_ID = 'c8f2a1d7e3b94c6a9d0e5f7a1b2c3d4e5';
export const STAGING_CLUSTER_ID = 'c1a2b3c4d5e6f708192a3b4c5d6e7f809';
export const PROD_DEFAULT_POOL_ID = 'np4e1f9a3c7b2d4e8f9a0b1c2d3e4f5a6b';
export const PROD_GPU_POOL_ID = 'np9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
export const STAGING_DEFAULT_POOL_ID = 'np0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const STAGING_FAILED_POOL_ID = 'np5f4e3d2c1b0a99887766554433221100';
export const PROD_DIAGNOSIS_ID = '2f6c1e8d9a4b4c7e8f0a1b2c3d4e5f60';
export const PROD_REPORT_ID = 'ir-3b1f0c2d9e8a4f5b';
/** The simulated account's id (CS's `aliuid`, STS's AccountId). */
export const SANDBOX_ACCOUNT_ID = '1827364554637281';
/** The SLS project the production cluster's audit and control-plane logs go to. */
export const SANDBOX_AUDIT_PROJECT = `k8s-log-${PROD_CLUSTER_ID}`;

function cluster(
  overrides: Partial<SandboxCluster> & Pick<SandboxCluster, 'cluster_id' | 'name' | 'region_id'>,
): SandboxCluster {
  return {
    zone_id: `${overrides.region_id}-k`,
    state: 'running',
    cluster_type: 'ManagedKubernetes',
    cluster_spec: 'ack.pro.small',
    profile: 'Default',
    current_version: '1.32.1-aliyun.1',
    init_version: '1.30.7-aliyun.1',
    next_version: '',
    created: '2025-03-11T10:21:07+08:00',
    updated: '2025-11-02T16:45:12+08:00',
    size: 0,
    vpc_id: 'vpc-bp1k3x9c7f2m8q4w6e5r1',
    vswitch_ids: ['vsw-bp1a2b3c4d5e6f7g8h9i0'],
    security_group_id: 'sg-bp1f6g7h8j9k0l1m2n3o',
    resource_group_id: 'rg-acfm2xq7w8e9r0t',
    network_mode: 'vpc',
    ip_stack: 'ipv4',
    proxy_mode: 'ipvs',
    container_cidr: '',
    service_cidr: '192.168.0.0/16',
    cluster_domain: 'cluster.local',
    timezone: 'Asia/Shanghai',
    deletion_protection: true,
    private_zone: false,
    master_url: '',
    meta_data: '{"Capabilities":{"PublicSLB":true}}',
    tags: [],
    ...overrides,
  };
}

function pool(
  clusterId: string,
  region: string,
  id: string,
  name: string,
  state: string,
  counts: { total: number; healthy: number; initial?: number; failed?: number },
  extra: Partial<Pick<SandboxNodePool, 'auto_scaling'>> & { instanceTypes?: string[]; isDefault?: boolean } = {},
): SandboxNodePool {
  return {
    cluster_id: clusterId,
    nodepool_info: {
      nodepool_id: id,
      name,
      type: 'ess',
      is_default: extra.isDefault ?? false,
      region_id: region,
      created: '2025-03-11T10:24:51.218377213+08:00',
      updated: '2025-10-28T14:03:12.5+08:00',
    },
    status: {
      state,
      total_nodes: counts.total,
      healthy_nodes: counts.healthy,
      serving_nodes: counts.healthy,
      initial_nodes: counts.initial ?? 0,
      failed_nodes: counts.failed ?? 0,
      offline_nodes: 0,
      removing_nodes: 0,
    },
    scaling_group: {
      desired_size: counts.total,
      instance_types: extra.instanceTypes ?? ['ecs.g7.xlarge'],
      instance_charge_type: 'PostPaid',
      vswitch_ids: ['vsw-bp1a2b3c4d5e6f7g8h9i0'],
    },
    auto_scaling: extra.auto_scaling ?? { enable: false, min_instances: 0, max_instances: 0, type: 'cpu' },
    kubernetes_config: { runtime: 'containerd', runtime_version: '1.6.38', labels: [] },
  };
}

function node(
  clusterId: string,
  poolId: string,
  instanceId: string,
  ip: string,
  region: string,
  status: { node_status?: string; state?: string; error_message?: string; instance_type?: string } = {},
): SandboxNode {
  return {
    cluster_id: clusterId,
    instance_id: instanceId,
    node_name: `${region}.${ip}`,
    host_name: `iZ${instanceId.slice(2)}Z`,
    ip_address: [ip],
    node_status: status.node_status ?? 'Ready',
    state: status.state ?? 'running',
    nodepool_id: poolId,
    instance_type: status.instance_type ?? 'ecs.g7.xlarge',
    instance_status: 'Running',
    instance_charge_type: 'PostPaid',
    creation_time: '2025-03-11T10:31:02+08:00',
    error_message: status.error_message ?? '',
    is_aliyun_node: true,
  };
}

const DIAGNOSIS_RESULT = JSON.stringify({
  phase: 5,
  version: '20240101',
  summary: { abnormal: 1, normal: 14 },
  items: [
    {
      name: 'PodStatus',
      level: 'error',
      message: 'Container web is in CrashLoopBackOff; last state OOMKilled (exit code 137)',
      suggestion: 'Raise resources.limits.memory or fix the memory leak',
    },
    { name: 'ImagePull', level: 'normal', message: 'image pulled' },
  ],
});

/** Check items a finished inspection reports. */
export function inspectionItems(clusterId: string): SandboxInspectReport['checkItemResults'] {
  return [
    {
      category: 'security',
      name: 'APIServerPublicAccess',
      targetType: 'Cluster',
      targets: [clusterId],
      description: 'The API server is reachable from the internet through its public SLB.',
      fix: 'Restrict the SLB access control list or use the private endpoint only.',
      checkItemUid: 'ack-apiserver-public-01',
      level: 'warning',
      result: 'Failed',
    },
    {
      category: 'stability',
      name: 'NodePoolFailedNodes',
      targetType: 'NodePool',
      targets: ['default-nodepool'],
      description: 'A node pool has nodes that failed to join the cluster.',
      fix: 'Read the failed node-pool task with describe_task_info and repair or remove the nodes.',
      checkItemUid: 'ack-nodepool-failed-02',
      level: 'error',
      result: 'Failed',
    },
    {
      category: 'cost',
      name: 'IdleNodes',
      targetType: 'Node',
      targets: [],
      description: 'No node has been idle for a week.',
      fix: '',
      checkItemUid: 'ack-idle-nodes-03',
      level: 'normal',
      result: 'Pass',
    },
  ];
}

export function createCsSandboxState(): CsSandboxState {
  const prodNodes = [
    node(PROD_CLUSTER_ID, PROD_DEFAULT_POOL_ID, 'i-bp1f8e7d6c5b4a3z2y1x', '172.16.0.45', 'cn-hangzhou'),
    node(PROD_CLUSTER_ID, PROD_DEFAULT_POOL_ID, 'i-bp1a2s3d4f5g6h7j8k9l', '172.16.0.46', 'cn-hangzhou'),
    node(PROD_CLUSTER_ID, PROD_DEFAULT_POOL_ID, 'i-bp1q9w8e7r6t5y4u3i2o', '172.16.0.47', 'cn-hangzhou'),
    node(PROD_CLUSTER_ID, PROD_GPU_POOL_ID, 'i-bp1c4x7v2n9m3k8j5h6g', '172.16.1.10', 'cn-hangzhou', {
      instance_type: 'ecs.gn7i-c8g1.2xlarge',
    }),
    node(PROD_CLUSTER_ID, PROD_GPU_POOL_ID, 'i-bp1z1x2c3v4b5n6m7a8s', '172.16.1.11', 'cn-hangzhou', {
      instance_type: 'ecs.gn7i-c8g1.2xlarge',
    }),
    node(PROD_CLUSTER_ID, PROD_GPU_POOL_ID, 'i-bp1k9j8h7g6f5d4s3a2p', '172.16.1.12', 'cn-hangzhou', {
      node_status: 'NotReady',
      state: 'initial',
      instance_type: 'ecs.gn7i-c8g1.2xlarge',
    }),
  ];
  const stagingNodes = [
    node(STAGING_CLUSTER_ID, STAGING_DEFAULT_POOL_ID, 'i-2ze1a2b3c4d5e6f7g8h9', '192.168.3.21', 'cn-beijing'),
    node(STAGING_CLUSTER_ID, STAGING_DEFAULT_POOL_ID, 'i-2ze9h8g7f6e5d4c3b2a1', '192.168.3.22', 'cn-beijing'),
    node(STAGING_CLUSTER_ID, STAGING_FAILED_POOL_ID, 'i-2ze5t6y7u8i9o0p1q2w3', '192.168.3.40', 'cn-beijing', {
      node_status: 'Unknown',
      state: 'failed',
      error_message:
        'instance i-2ze5t6y7u8i9o0p1q2w3 failed to join the cluster: kubelet did not become ready within 10m',
    }),
  ];
  return {
    clusters: [
      cluster({
        cluster_id: PROD_CLUSTER_ID,
        name: 'prod-hz-01',
        region_id: 'cn-hangzhou',
        size: prodNodes.length,
        vswitch_ids: ['vsw-bp1a2b3c4d5e6f7g8h9i0', 'vsw-bp1j2k3l4m5n6o7p8q9r0'],
        master_url:
          '{"api_server_endpoint":"https://47.96.120.15:6443","intranet_api_server_endpoint":"https://172.16.0.201:6443"}',
        tags: [{ key: 'env', value: 'prod' }],
      }),
      cluster({
        cluster_id: STAGING_CLUSTER_ID,
        name: 'staging-bj',
        region_id: 'cn-beijing',
        cluster_spec: 'ack.standard',
        current_version: '1.31.1-aliyun.1',
        init_version: '1.31.1-aliyun.1',
        next_version: '1.32.1-aliyun.1',
        created: '2025-06-20T09:02:44+08:00',
        size: stagingNodes.length,
        vpc_id: 'vpc-2ze7a8s9d0f1g2h3j4k5l',
        vswitch_ids: ['vsw-2ze1q2w3e4r5t6y7u8i9o'],
        security_group_id: 'sg-2ze4r5t6y7u8i9o0p1a2',
        container_cidr: '10.80.0.0/16',
        service_cidr: '172.21.0.0/20',
        deletion_protection: false,
        master_url: '{"api_server_endpoint":"","intranet_api_server_endpoint":"https://192.168.3.17:6443"}',
        tags: [{ key: 'env', value: 'staging' }],
      }),
    ],
    nodepools: [
      pool(
        PROD_CLUSTER_ID,
        'cn-hangzhou',
        PROD_DEFAULT_POOL_ID,
        'default-nodepool',
        'active',
        { total: 3, healthy: 3 },
        {
          isDefault: true,
          instanceTypes: ['ecs.g7.xlarge', 'ecs.g6.xlarge'],
        },
      ),
      pool(
        PROD_CLUSTER_ID,
        'cn-hangzhou',
        PROD_GPU_POOL_ID,
        'gpu-pool',
        'scaling',
        { total: 3, healthy: 2, initial: 1 },
        {
          instanceTypes: ['ecs.gn7i-c8g1.2xlarge'],
          auto_scaling: { enable: true, min_instances: 1, max_instances: 6, type: 'gpu' },
        },
      ),
      pool(
        STAGING_CLUSTER_ID,
        'cn-beijing',
        STAGING_DEFAULT_POOL_ID,
        'default-nodepool',
        'active',
        { total: 2, healthy: 2 },
        {
          isDefault: true,
        },
      ),
      pool(
        STAGING_CLUSTER_ID,
        'cn-beijing',
        STAGING_FAILED_POOL_ID,
        'spot-pool',
        'failed',
        { total: 1, healthy: 0, failed: 1 },
        {
          instanceTypes: ['ecs.c7.large'],
        },
      ),
    ],
    nodes: [...prodNodes, ...stagingNodes],
    tasks: [
      {
        task_id: 'T-6751c2e9a8f1b20a3c000041',
        cluster_id: PROD_CLUSTER_ID,
        task_type: 'nodepool_scaleout',
        state: 'success',
        created: '2025-11-03T09:38:02+08:00',
        updated: '2025-11-03T09:41:19+08:00',
        current_stage: '',
        target: { id: PROD_GPU_POOL_ID, type: 'nodepool' },
        parameters: { count: 1, nodepool_id: PROD_GPU_POOL_ID },
        stages: [
          {
            state: 'success',
            start_time: '2025-11-03 09:38:02',
            end_time: '2025-11-03 09:39:40',
            message: 'scaling group scaled out',
            outputs: {},
          },
          {
            state: 'success',
            start_time: '2025-11-03 09:39:40',
            end_time: '2025-11-03 09:41:19',
            message: 'nodes joined the cluster',
            outputs: {},
          },
        ],
        events: [
          {
            action: 'start',
            level: 'Normal',
            reason: 'NodePoolScaleOutStart',
            message: 'start to scale out node pool gpu-pool by 1',
            source: 'ACK',
            timestamp: '1762133882000',
          },
        ],
        task_result: [{ data: 'i-bp1c4x7v2n9m3k8j5h6g', status: 'success' }],
        error: { code: '', message: '' },
        readsUntilDone: 0,
        finalState: 'success',
      },
      {
        task_id: 'T-6751d0a1b2c3d40a3c000052',
        cluster_id: PROD_CLUSTER_ID,
        task_type: 'nodepool_node_remove',
        state: 'fail',
        created: '2025-11-03T10:02:11+08:00',
        updated: '2025-11-03T10:04:55+08:00',
        current_stage: 'DrainNodes',
        target: { id: PROD_DEFAULT_POOL_ID, type: 'nodepool' },
        parameters: { drain_node: true, release_node: false, instance_ids: ['i-bp1f8e7d6c5b4a3z2y1x'] },
        stages: [
          {
            state: 'fail',
            start_time: '2025-11-03 10:02:11',
            end_time: '2025-11-03 10:04:55',
            message:
              'drain node cn-hangzhou.172.16.0.45 timeout: pod default/web-7c9d8f-abcde violates PodDisruptionBudget',
            outputs: {},
          },
        ],
        events: [],
        task_result: [{ data: 'i-bp1f8e7d6c5b4a3z2y1x', status: 'failed' }],
        error: { code: 'DrainNodeFailed', message: 'failed to drain node cn-hangzhou.172.16.0.45' },
        readsUntilDone: 0,
        finalState: 'fail',
      },
      {
        task_id: 'T-6752a0b1c2d3e40a3c000077',
        cluster_id: STAGING_CLUSTER_ID,
        task_type: 'nodepool_scaleout',
        state: 'fail',
        created: '2025-11-04T08:15:00+08:00',
        updated: '2025-11-04T08:27:31+08:00',
        current_stage: 'WaitNodesReady',
        target: { id: STAGING_FAILED_POOL_ID, type: 'nodepool' },
        parameters: { count: 1, nodepool_id: STAGING_FAILED_POOL_ID },
        stages: [
          {
            state: 'success',
            start_time: '2025-11-04 08:15:00',
            end_time: '2025-11-04 08:16:12',
            message: 'scaling group scaled out',
            outputs: {},
          },
          {
            state: 'fail',
            start_time: '2025-11-04 08:16:12',
            end_time: '2025-11-04 08:27:31',
            message: 'node cn-beijing.192.168.3.40 did not become ready within 10m',
            outputs: {},
          },
        ],
        events: [],
        task_result: [{ data: 'i-2ze5t6y7u8i9o0p1q2w3', status: 'failed' }],
        error: { code: 'NodeNotReady', message: 'instance i-2ze5t6y7u8i9o0p1q2w3 failed to join the cluster' },
        readsUntilDone: 0,
        finalState: 'fail',
      },
    ],
    diagnoses: [
      {
        cluster_id: PROD_CLUSTER_ID,
        diagnosis_id: PROD_DIAGNOSIS_ID,
        type: 'Pod',
        target: '{"namespace":"default","name":"web-7c9d8f-abcde"}',
        statuses: [2],
        reads: 0,
        created: '2025-11-03T10:12Z',
        result: DIAGNOSIS_RESULT,
      },
    ],
    reports: [
      {
        cluster_id: PROD_CLUSTER_ID,
        reportId: PROD_REPORT_ID,
        startTime: '2025-11-02T03:00:00Z',
        endTime: '2025-11-02T03:04:12Z',
        readsUntilDone: 0,
        status: 'completed',
        summary: { code: 'warning', errorCount: 1, warnCount: 1, normalCount: 1, adviceCount: 0 },
        checkItemResults: inspectionItems(PROD_CLUSTER_ID),
      },
    ],
    // The production cluster collects its audit and control-plane logs; staging collects neither.
    clusterLogs: {
      [PROD_CLUSTER_ID]: {
        audit: { audit_enabled: true, sls_project_name: SANDBOX_AUDIT_PROJECT },
        controlplane: {
          log_project: SANDBOX_AUDIT_PROJECT,
          log_ttl: '30',
          aliuid: SANDBOX_ACCOUNT_ID,
          components: ['apiserver', 'kcm', 'scheduler'],
        },
      },
      [STAGING_CLUSTER_ID]: {
        audit: { audit_enabled: false, sls_project_name: '' },
        controlplane: {
          log_project: `k8s-log-${STAGING_CLUSTER_ID}`,
          log_ttl: '30',
          aliuid: SANDBOX_ACCOUNT_ID,
          components: [],
        },
      },
    },
    newDiagnosisStatuses: [0, 1, 2],
    sequence: 0,
  };
}

/** The result text a new diagnosis reports once completed. */
export const NEW_DIAGNOSIS_RESULT = JSON.stringify({
  phase: 5,
  version: '20240101',
  summary: { abnormal: 0, normal: 12 },
  items: [{ name: 'Connectivity', level: 'normal', message: 'all checks passed' }],
});

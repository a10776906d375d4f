/**
 * CS API (2015-12-15) answers as they come over the wire: snake_case names, every field
 * optional because CS omits what is empty. Only the fields the tools read are named; the rest
 * pass through untouched.
 */

export interface CsTag {
  key?: string;
  value?: string;
}

export interface CsCluster {
  cluster_id?: string;
  name?: string;
  region_id?: string;
  zone_id?: string;
  state?: string;
  cluster_type?: string;
  cluster_spec?: string;
  profile?: string;
  current_version?: string;
  next_version?: string;
  created?: string;
  updated?: string;
  size?: number;
  vpc_id?: string;
  vswitch_ids?: string[];
  security_group_id?: string;
  resource_group_id?: string;
  network_mode?: string;
  proxy_mode?: string;
  ip_stack?: string;
  container_cidr?: string;
  service_cidr?: string;
  pod_cidr?: string;
  cluster_domain?: string;
  deletion_protection?: boolean;
  /** JSON text: `{"api_server_endpoint": …, "intranet_api_server_endpoint": …}`. */
  master_url?: string;
  tags?: CsTag[];
  [field: string]: unknown;
}

export interface CsPageInfo {
  page_number?: number;
  page_size?: number;
  total_count?: number;
}

export interface DescribeClustersV1Result {
  clusters?: CsCluster[];
  page_info?: CsPageInfo;
}

export interface CsNodePool {
  nodepool_info?: {
    nodepool_id?: string;
    name?: string;
    type?: string;
    is_default?: boolean;
    region_id?: string;
    created?: string;
    updated?: string;
  };
  status?: {
    state?: string;
    total_nodes?: number;
    healthy_nodes?: number;
    serving_nodes?: number;
    initial_nodes?: number;
    failed_nodes?: number;
    offline_nodes?: number;
    removing_nodes?: number;
  };
  scaling_group?: {
    desired_size?: number;
    instance_types?: string[];
    instance_charge_type?: string;
    [field: string]: unknown;
  };
  auto_scaling?: { enable?: boolean; min_instances?: number; max_instances?: number; type?: string };
  max_nodes?: number;
  [field: string]: unknown;
}

export interface CsNode {
  instance_id?: string;
  node_name?: string;
  host_name?: string;
  ip_address?: string[];
  node_status?: string;
  state?: string;
  nodepool_id?: string;
  instance_type?: string;
  instance_status?: string;
  creation_time?: string;
  error_message?: string;
  [field: string]: unknown;
}

export interface DescribeClusterNodesResult {
  nodes?: CsNode[];
  page?: CsPageInfo;
}

export interface CsTaskSummary {
  task_id?: string;
  task_type?: string;
  state?: string;
  created?: string;
  updated?: string;
  error?: { code?: string; message?: string };
  [field: string]: unknown;
}

export interface DescribeClusterTasksResult {
  tasks?: CsTaskSummary[];
  page_info?: CsPageInfo;
  next_token?: string;
  requestId?: string;
}

export interface CsTaskInfo {
  task_id?: string;
  cluster_id?: string;
  task_type?: string;
  state?: string;
  created?: string;
  updated?: string;
  current_stage?: string;
  target?: { id?: string; type?: string };
  parameters?: Record<string, unknown>;
  stages?: Array<{ state?: string; start_time?: string; end_time?: string; message?: string; outputs?: unknown }>;
  events?: Array<Record<string, unknown>>;
  task_result?: Array<{ data?: string; status?: string }>;
  error?: { code?: string; message?: string };
  [field: string]: unknown;
}

export interface CsDiagnosisResult {
  diagnosis_id?: string;
  type?: string;
  /** JSON text. */
  target?: string;
  /** 0 created, 1 running, 2 completed. */
  status?: number;
  /** 0 succeeded, 1 failed (meaningful once completed). */
  code?: number;
  message?: string;
  created?: string;
  finished?: string;
  /** JSON text. */
  result?: string;
}

export interface CsInspectSummary {
  code?: string;
  errorCount?: number;
  warnCount?: number;
  normalCount?: number;
  adviceCount?: number;
}

export interface CsInspectCheckItem {
  category?: string;
  name?: string;
  targetType?: string;
  targets?: string[];
  description?: string;
  fix?: string;
  checkItemUid?: string;
  level?: string;
  result?: string;
}

export interface CsInspectReportDetail {
  reportId?: string;
  status?: string;
  startTime?: string;
  endTime?: string;
  summary?: CsInspectSummary;
  checkItemResults?: CsInspectCheckItem[];
  nextToken?: string;
  requestId?: string;
}

export interface CsInspectReportList {
  reports?: Array<{
    reportId?: string;
    startTime?: string;
    endTime?: string;
    status?: string;
    summary?: CsInspectSummary;
  }>;
  nextToken?: string;
  requestId?: string;
}

/** GetClusterAuditProject: whether the API-server audit log is collected, and into which SLS project. */
export interface CsClusterAuditProject {
  audit_enabled?: boolean;
  sls_project_name?: string;
}

/** CheckControlPlaneLogEnable: where the control-plane components' logs go, and which components send them. */
export interface CsControlPlaneLogConfig {
  log_project?: string;
  /** Days the logs are kept (CS sends it as text). */
  log_ttl?: string | number;
  aliuid?: string;
  components?: string[];
}

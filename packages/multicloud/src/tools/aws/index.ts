import { getAwsInstanceInfo } from './get-instance-info.js';
import { getAwsInstanceMonitoring } from './get-instance-monitoring.js';
import { getAwsInstanceStorageInfo } from './get-instance-storage-info.js';
import { listAwsInstances } from './list-instances.js';

/** The AWS toolset (read only), in the original multi-cloud manager's order. */
export const awsTools = [
  getAwsInstanceInfo,
  getAwsInstanceStorageInfo,
  getAwsInstanceMonitoring,
  listAwsInstances,
] as const;

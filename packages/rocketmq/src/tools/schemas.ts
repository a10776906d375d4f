import { z } from 'zod';

/** Input fields shared by several tools, with the API's constraints. */
export const InstanceId = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'an instance ID such as rocketmq-cnoeea6b32118fc2')
  .describe('RocketMQ instance ID, e.g. rocketmq-cnoeea6b32118fc2 (DescribeInstances lists them)');

export const RegionId = z
  .string()
  .trim()
  .regex(/^[a-z]+(-[a-z0-9]+)+$/, 'a region ID such as cn-beijing')
  .max(64)
  .describe('Region ID, e.g. cn-beijing (DescribeRegions lists them)');

/** The region a call is signed for; instances are only visible in their own region. */
export const RegionArg = RegionId.optional().describe(
  'Region of the instance, e.g. cn-shanghai; defaults to the server region (VOLCENGINE_REGION, else cn-beijing)',
);

/** Paging input of the list calls, spread into their input objects: page 1 of 20 unless asked. */
export const Paging = {
  PageNumber: z.number().int().min(1).max(10_000).describe('Page number, 1-10000').default(1),
  PageSize: z.number().int().min(1).max(100).describe('Items per page, 1-100').default(20),
};

/** Leading output fields of a page listed from one instance (topics, groups, inspection rules). */
export const InstancePage = {
  InstanceId: z.string(),
  Total: z.number().optional(),
};

const str = () => z.string().optional();
const int = () => z.number().optional();
const bool = () => z.boolean().optional();

export const ChargeDetail = z.object({
  ChargeType: str().describe('PostPaid or PrePaid'),
  ChargeStatus: str().describe('Normal, Overdue or Expired'),
  ChargeStartTime: str(),
  ChargeExpireTime: str(),
  OverdueTime: str(),
  OverdueReclaimTime: str(),
  PeriodUnit: str().describe('Monthly or Yearly'),
  AutoRenew: bool(),
});

/** One instance as DescribeInstances (InstancesInfo) and DescribeInstanceDetail (BasicInfo) return it. */
export const InstanceInfo = z.object({
  InstanceId: str(),
  InstanceName: str(),
  InstanceDescription: str(),
  InstanceStatus: str().describe('e.g. Running, Failed'),
  RegionId: str(),
  ZoneId: str().describe('Comma-separated for multi-AZ instances'),
  Version: str().describe('e.g. 4.8 or 5.x'),
  ProductVersion: str(),
  ComputeSpec: str(),
  StorageSpace: int().describe('GiB'),
  UsedStorageSpace: int().describe('GiB'),
  FileReservedTime: int().describe('Message retention, hours'),
  UsedTopicNumber: int(),
  AvailableTopicNumber: int(),
  UsedGroupNumber: int(),
  AvailableGroupNumber: int(),
  UsedQueueNumber: int(),
  AvailableQueueNumber: int(),
  TotalTps: int(),
  SendReceiveRatio: int(),
  EnableInspect: bool().describe('Whether risk inspection is on'),
  EnableSSL: bool(),
  SSLMode: str(),
  EipId: str(),
  ApplyPrivateDNSToPublic: bool(),
  VpcId: str(),
  SubnetId: str(),
  AccountId: str(),
  ProjectName: str(),
  CreateTime: str(),
  ChargeDetail: ChargeDetail.optional(),
  InstanceTags: z.array(z.object({ Key: str(), Value: str() })).optional(),
});

export const InspectConfig = z.object({
  Type: str().describe('cluster, topic or group'),
  InspectName: str(),
  StartInspectTimeStamp: str().describe('Epoch seconds of the last manual trigger ("0": never)'),
  Describe: str(),
  Configurable: z.object({ Enable: bool(), Interval: int().describe('seconds') }).optional(),
});

export const InspectResult = z.object({
  InspectName: str(),
  Type: str(),
  ResultId: str().describe('Pass to ManualProcessResult'),
  Level: str().describe('low, medium or high'),
  TimeStamp: str().describe('Epoch milliseconds'),
  Status: str().describe('unSolved or Solved'),
  Suggestion: z.array(z.string()).optional(),
  Describe: str(),
  Resource: z.array(z.string()).optional().describe('Affected topics or groups'),
});

/** What a state-changing call returns: the API answers `{}`, so we echo what was done. */
export const WriteOutput = {
  InstanceId: z.string(),
  RequestId: z.string().optional().describe('Volcengine request id, for support'),
};

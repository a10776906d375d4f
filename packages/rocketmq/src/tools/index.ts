import { describeAvailabilityZones } from './describe-availability-zones.js';
import { describeGroups } from './describe-groups.js';
import { describeInstanceDetail } from './describe-instance-detail.js';
import { describeInstances } from './describe-instances.js';
import { describeRegions } from './describe-regions.js';
import { describeTopics } from './describe-topics.js';
import { enableInstanceInspect } from './enable-instance-inspect.js';
import { getInspectConfig } from './get-inspect-config.js';
import { getInstanceInspectResult } from './get-instance-inspect-result.js';
import { inspectionOverview } from './inspection-overview.js';
import { manualProcessResult } from './manual-process-result.js';
import { manualTriggerInspect } from './manual-trigger-inspect.js';

/** Every RocketMQ tool; the write tools are listed only with --allow-write. */
export const rocketmqTools = [
  inspectionOverview,
  describeRegions,
  describeAvailabilityZones,
  describeInstances,
  describeInstanceDetail,
  describeTopics,
  describeGroups,
  getInspectConfig,
  getInstanceInspectResult,
  enableInstanceInspect,
  manualProcessResult,
  manualTriggerInspect,
] as const;

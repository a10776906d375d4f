import { alibabaTools } from './alibaba/index.js';
import { awsTools } from './aws/index.js';
import { digitaloceanTools } from './digitalocean/index.js';
import { genericTools } from './generic/index.js';
import { vultrTools } from './vultr/index.js';

/** Every tool, by toolset in the original multi-cloud manager's order. */
export const multicloudTools = [...genericTools, ...awsTools, ...digitaloceanTools, ...vultrTools, ...alibabaTools];

export const MULTICLOUD_TOOLSETS = {
  generic: 'Provider-independent: find a VM by IP on any cloud, power it from one tool, provider status',
  aws: 'AWS EC2, read only: instances, EBS volumes, CloudWatch metrics',
  digitalocean: 'DigitalOcean droplets: lookup, power, metrics, action history',
  vultr: 'Vultr instances: lookup, power, bandwidth',
  alibaba: 'Alibaba Cloud ECS: lookup, power, monitoring data',
} as const;

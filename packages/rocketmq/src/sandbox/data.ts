/**
 * Simulated account for the sandbox and the tests: six regions, three instances in cn-beijing
 * (a 4.x and a 5.x instance running, a 4.x instance failed) with topics, groups, inspection
 * rules and findings. Field names and value formats follow the RocketMQ 2023-01-01 API.
 * Every value is invented.
 */

export interface SandboxRegion {
  RegionId: string;
  RegionName: string;
  RegionStatus: string;
  Describeption: string;
}

export interface SandboxZone {
  ZoneId: string;
  ZoneName: string;
  Description: string;
  ZoneStatus: string;
}

export interface SandboxInspectConfig {
  Type: string;
  InspectName: string;
  StartInspectTimeStamp: string;
  Describe: string;
  Configurable: { Enable: boolean; Interval: number };
}

export interface SandboxInspectResult {
  InspectName: string;
  Type: string;
  ResultId: string;
  Level: string;
  TimeStamp: string;
  Status: string;
  Describe: string;
  Suggestion: string[];
  Resource: string[];
}

export interface SandboxInstance {
  info: Record<string, unknown> & {
    InstanceId: string;
    InstanceName: string;
    InstanceStatus: string;
    RegionId: string;
    Version: string;
    EnableInspect: boolean;
  };
  connections: Array<Record<string, string>>;
  topics: Array<{
    TopicName: string;
    Description: string;
    MessageType: number;
    QueueNumber: number;
    CreateTime: string;
  }>;
  groups: Array<{ GroupId: string; GroupType: string; Description: string }>;
  configs: SandboxInspectConfig[];
  results: SandboxInspectResult[];
}

export interface SandboxState {
  regions: SandboxRegion[];
  zones: Record<string, SandboxZone[]>;
  instances: SandboxInstance[];
}

const region = (RegionId: string, Describeption: string): SandboxRegion => ({
  RegionId,
  RegionName: RegionId,
  RegionStatus: 'Available',
  Describeption,
});

const zone = (ZoneId: string, Description: string, ZoneStatus = 'Normal'): SandboxZone => ({
  ZoneId,
  ZoneName: ZoneId,
  Description,
  ZoneStatus,
});

const charge = (type: 'PostPaid' | 'PrePaid', start: string, expire: string) => ({
  ChargeType: type,
  ChargeStatus: 'Normal',
  ChargeStartTime: start,
  ChargeExpireTime: expire,
  OverdueTime: '1970-01-01T00:00:00Z',
  OverdueReclaimTime: '1970-01-01T00:00:00Z',
  PeriodUnit: type === 'PrePaid' ? 'Yearly' : 'Monthly',
  AutoRenew: type === 'PrePaid',
});

const RULES = {
  queueInsufficient: { Type: 'cluster', Describe: '实例Queue资源不足', Interval: 3600 },
  queueBalance: { Type: 'topic', Describe: '实例queue分布不均衡', Interval: 3600 },
  subscribeConsistency: { Type: 'group', Describe: 'Group订阅关系不一致', Interval: 1800 },
} as const;

const config = (name: keyof typeof RULES, lastTrigger: string): SandboxInspectConfig => ({
  Type: RULES[name].Type,
  InspectName: name,
  StartInspectTimeStamp: lastTrigger,
  Describe: RULES[name].Describe,
  Configurable: { Enable: true, Interval: RULES[name].Interval },
});

/** A fresh copy of the simulated account; each fake endpoint mutates its own. */
export function createSandboxState(): SandboxState {
  return {
    regions: [
      region('cn-beijing', '华北2（北京）'),
      region('cn-shanghai', '华东2（上海）'),
      region('cn-guangzhou', '华南1（广州）'),
      region('cn-hongkong', '中国香港'),
      region('ap-southeast-1', '亚太东南（柔佛）'),
      region('ap-southeast-3', '亚太东南（雅加达）'),
    ],
    zones: {
      'cn-beijing': [
        zone('cn-beijing-a', '北京可用区A'),
        zone('cn-beijing-c', '北京可用区C'),
        zone('cn-beijing-d', '北京可用区D', 'Soldout'),
      ],
      'cn-shanghai': [zone('cn-shanghai-a', '上海可用区A'), zone('cn-shanghai-b', '上海可用区B')],
      'cn-guangzhou': [zone('cn-guangzhou-a', '广州可用区A'), zone('cn-guangzhou-b', '广州可用区B')],
      'cn-hongkong': [zone('cn-hongkong-a', '香港可用区A')],
      'ap-southeast-1': [zone('ap-southeast-1a', '柔佛可用区A'), zone('ap-southeast-1b', '柔佛可用区B')],
      'ap-southeast-3': [zone('ap-southeast-3a', '雅加达可用区A', 'Unavailable')],
    },
    instances: [orderEvents(), auditLogBus(), riskScoring()],
  };
}

function orderEvents(): SandboxInstance {
  const InstanceId = 'rocketmq-cnoeea6b32118fc2';
  return {
    info: {
      InstanceId,
      InstanceName: 'order-events-prod',
      InstanceDescription: 'order pipeline',
      InstanceStatus: 'Running',
      RegionId: 'cn-beijing',
      ZoneId: 'cn-beijing-a',
      Version: '4.8',
      ComputeSpec: 'rocketmq.n1.x2.small',
      StorageSpace: 300,
      UsedStorageSpace: 41,
      FileReservedTime: 72,
      UsedTopicNumber: 4,
      AvailableTopicNumber: 296,
      UsedGroupNumber: 3,
      AvailableGroupNumber: 997,
      UsedQueueNumber: 36,
      AvailableQueueNumber: 3964,
      EnableInspect: true,
      EnableSSL: false,
      SSLMode: 'permissive',
      ApplyPrivateDNSToPublic: false,
      VpcId: 'vpc-13fo9gkz6j6683n6nu5ec7q2',
      SubnetId: 'subnet-min6uy01kuf45smt1a2i8w3',
      AccountId: '2100345678',
      ProjectName: 'default',
      CreateTime: '2024-03-01T02:10:41Z',
      ChargeDetail: charge('PostPaid', '2024-03-01T02:11:09Z', '1970-01-01T00:00:00Z'),
      InstanceTags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'owner', Value: 'payments' },
      ],
    },
    connections: [
      {
        EndpointType: 'TCP',
        NetworkType: 'PrivateNetwork',
        InternalEndpoint: `http://${InstanceId}.rocketmq.ivolces.com:9876`,
        PublicEndpoint: '',
        EndpointAddressIP: '172.16.0.23',
      },
    ],
    topics: [
      {
        TopicName: 'order-paid',
        Description: 'payment confirmed',
        MessageType: 0,
        QueueNumber: 8,
        CreateTime: '2024-05-20T09:12:44Z',
      },
      {
        TopicName: 'order-created',
        Description: '',
        MessageType: 2,
        QueueNumber: 16,
        CreateTime: '2024-03-02T11:05:19Z',
      },
      {
        TopicName: 'order-timeout',
        Description: 'delayed cancel',
        MessageType: 4,
        QueueNumber: 4,
        CreateTime: '2024-03-02T11:06:02Z',
      },
      {
        TopicName: 'order-refund-tx',
        Description: 'refund saga',
        MessageType: 1,
        QueueNumber: 8,
        CreateTime: '2024-06-11T07:40:00Z',
      },
    ],
    groups: [
      { GroupId: 'GID_order_consumer', GroupType: 'TCP', Description: 'order service' },
      { GroupId: 'GID_billing', GroupType: 'TCP', Description: '' },
      { GroupId: 'GID_refund_worker', GroupType: 'TCP', Description: 'refund saga worker' },
    ],
    configs: [
      config('queueInsufficient', '1722952800'),
      config('queueBalance', '1722952805'),
      config('subscribeConsistency', '0'),
    ],
    results: [
      {
        InspectName: 'queueBalance',
        Type: 'Topic',
        ResultId: '519fe2c3f72e4ea2a1e49de0b7c6a1f2',
        Level: 'medium',
        TimeStamp: '1722944022630',
        Status: 'unSolved',
        Describe: '实例queue分布不均衡',
        Suggestion: ['扩容queue后系统会将queue重新均衡到其他broker', '或联系管理员手动对queue进行重均衡'],
        Resource: ['order-created', 'order-paid'],
      },
      {
        InspectName: 'subscribeConsistency',
        Type: 'Group',
        ResultId: '45e215e9fe104c849077c6dc1a2b3c4d',
        Level: 'high',
        TimeStamp: '1722940410207',
        Status: 'unSolved',
        Describe: 'Group订阅关系不一致',
        Suggestion: ['确保同一Group内所有消费者订阅相同的Topic和Tag'],
        Resource: ['GID_order_consumer'],
      },
      {
        InspectName: 'queueInsufficient',
        Type: 'Cluster',
        ResultId: '8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f',
        Level: 'low',
        TimeStamp: '1722600000000',
        Status: 'Solved',
        Describe: '实例Queue资源不足',
        Suggestion: ['升级实例规格以获得更多queue配额', '删除不再使用的Topic释放queue'],
        Resource: [InstanceId],
      },
    ],
  };
}

function auditLogBus(): SandboxInstance {
  const InstanceId = 'rocketmq-cnngc3e21b8a7d40';
  return {
    info: {
      InstanceId,
      InstanceName: 'audit-log-bus',
      InstanceDescription: '',
      InstanceStatus: 'Running',
      RegionId: 'cn-beijing',
      ZoneId: 'cn-beijing-a,cn-beijing-c,cn-beijing-d',
      Version: '5.x',
      ComputeSpec: 'rocketmq.x2.2k',
      StorageSpace: 600,
      UsedStorageSpace: 5,
      FileReservedTime: 48,
      UsedTopicNumber: 3,
      AvailableTopicNumber: 497,
      UsedGroupNumber: 2,
      AvailableGroupNumber: 998,
      UsedQueueNumber: 24,
      AvailableQueueNumber: 1976,
      TotalTps: 2000,
      SendReceiveRatio: 50,
      EnableInspect: false,
      EnableSSL: true,
      SSLMode: 'enforcing',
      ApplyPrivateDNSToPublic: true,
      EipId: 'eip-mjhulvqza6805smt1bnc4k9f',
      VpcId: 'vpc-1a1vgeo93ycxq8nq5g5jnuw2',
      SubnetId: 'subnet-ij9s4h4x7m2c95wx4p1t',
      AccountId: '2100345678',
      ProjectName: 'infra',
      CreateTime: '2025-01-15T08:29:12Z',
      ChargeDetail: charge('PrePaid', '2025-01-15T08:30:00Z', '2026-01-15T16:00:00Z'),
      InstanceTags: [],
    },
    connections: [
      {
        EndpointType: 'TCP',
        NetworkType: 'PrivateNetwork',
        InternalEndpoint: `http://${InstanceId}.rocketmq.ivolces.com:9876`,
        PublicEndpoint: '',
        EndpointAddressIP: '172.16.8.41',
      },
      {
        EndpointType: 'TCP',
        NetworkType: 'PublicNetwork',
        InternalEndpoint: '',
        PublicEndpoint: `http://${InstanceId}.rocketmq.volces.com:9876`,
        EndpointAddressIP: '101.126.33.17',
      },
    ],
    topics: [
      {
        TopicName: 'audit-login',
        Description: 'sign-in events',
        MessageType: 0,
        QueueNumber: 8,
        CreateTime: '2025-01-15T09:02:10Z',
      },
      {
        TopicName: 'audit-config',
        Description: 'config changes',
        MessageType: 0,
        QueueNumber: 8,
        CreateTime: '2025-01-15T09:03:55Z',
      },
      {
        TopicName: 'audit-export',
        Description: '',
        MessageType: 3,
        QueueNumber: 8,
        CreateTime: '2025-02-03T13:20:31Z',
      },
    ],
    groups: [
      { GroupId: 'GID_audit_indexer', GroupType: 'TCP', Description: 'search indexer' },
      { GroupId: 'GID_audit_archiver', GroupType: 'TCP', Description: 'cold storage' },
    ],
    configs: [config('queueInsufficient', '1736931000'), config('queueBalance', '0')],
    results: [],
  };
}

function riskScoring(): SandboxInstance {
  const InstanceId = 'rocketmq-cnlk7d0f5a92e31b';
  return {
    info: {
      InstanceId,
      InstanceName: 'risk-scoring-staging',
      InstanceDescription: 'risk engine staging',
      InstanceStatus: 'Failed',
      RegionId: 'cn-beijing',
      ZoneId: 'cn-beijing-c',
      Version: '4.8',
      ComputeSpec: 'rocketmq.n1.x2.micro',
      StorageSpace: 100,
      UsedStorageSpace: 93,
      FileReservedTime: 24,
      UsedTopicNumber: 2,
      AvailableTopicNumber: 48,
      UsedGroupNumber: 1,
      AvailableGroupNumber: 49,
      UsedQueueNumber: 98,
      AvailableQueueNumber: 2,
      EnableInspect: true,
      EnableSSL: false,
      SSLMode: 'permissive',
      ApplyPrivateDNSToPublic: false,
      VpcId: 'vpc-13fo9gkz6j6683n6nu5ec7q2',
      SubnetId: 'subnet-3nr9ct4uqvx8g5smt1d0e6f1',
      AccountId: '2100345678',
      ProjectName: 'default',
      CreateTime: '2024-11-02T06:45:03Z',
      ChargeDetail: charge('PostPaid', '2024-11-02T06:45:30Z', '1970-01-01T00:00:00Z'),
      InstanceTags: [{ Key: 'env', Value: 'staging' }],
    },
    connections: [
      {
        EndpointType: 'TCP',
        NetworkType: 'PrivateNetwork',
        InternalEndpoint: `http://${InstanceId}.rocketmq.ivolces.com:9876`,
        PublicEndpoint: '',
        EndpointAddressIP: '172.16.2.77',
      },
    ],
    topics: [
      {
        TopicName: 'risk-score-request',
        Description: '',
        MessageType: 0,
        QueueNumber: 64,
        CreateTime: '2024-11-02T07:00:12Z',
      },
      {
        TopicName: 'risk-score-result',
        Description: '',
        MessageType: 0,
        QueueNumber: 34,
        CreateTime: '2024-11-02T07:01:40Z',
      },
    ],
    groups: [{ GroupId: 'GID_risk_scorer', GroupType: 'TCP', Description: 'scoring workers' }],
    configs: [
      config('queueInsufficient', '1731480000'),
      config('queueBalance', '1731480060'),
      config('subscribeConsistency', '1731480120'),
    ],
    results: [
      {
        InspectName: 'queueInsufficient',
        Type: 'Cluster',
        ResultId: 'b7e0c2d94f1a4e6b9d3c5a7e8f901234',
        Level: 'high',
        TimeStamp: '1731483600000',
        Status: 'unSolved',
        Describe: '实例Queue资源不足',
        Suggestion: ['升级实例规格以获得更多queue配额', '删除不再使用的Topic释放queue'],
        Resource: [InstanceId],
      },
      {
        InspectName: 'queueBalance',
        Type: 'Topic',
        ResultId: 'c3f1a8b2d6e04f7a9c1b3d5e7f902468',
        Level: 'medium',
        TimeStamp: '1731480065000',
        Status: 'unSolved',
        Describe: '实例queue分布不均衡',
        Suggestion: ['扩容queue后系统会将queue重新均衡到其他broker', '或联系管理员手动对queue进行重均衡'],
        Resource: ['risk-score-request'],
      },
      {
        InspectName: 'subscribeConsistency',
        Type: 'Group',
        ResultId: 'd4a2b9c3e7f15a8b0d2c4e6f8a013579',
        Level: 'low',
        TimeStamp: '1731480125000',
        Status: 'unSolved',
        Describe: 'Group订阅关系不一致',
        Suggestion: ['确保同一Group内所有消费者订阅相同的Topic和Tag'],
        Resource: ['GID_risk_scorer'],
      },
    ],
  };
}

/**
 * The simulated Alibaba Cloud account, in ECS's PascalCase JSON. cn-hangzhou: a production-tagged
 * running instance, a stopped one with an EIP, a small test box and a large one without a
 * public IP; cn-shanghai: one reachable through its EIP. Invented data (documentation addresses).
 */

// biome-ignore lint/suspicious/noExplicitAny: wire-shaped data
type Json = any;

export const ECS_INSTANCES: Json[] = [
  {
    InstanceId: 'i-bp1hx8u4m2v0c7x5k301',
    InstanceName: 'order-prod-01',
    HostName: 'order-prod-01',
    Description: '',
    Status: 'Running',
    InstanceType: 'ecs.g7.large',
    InstanceTypeFamily: 'ecs.g7',
    Cpu: 2,
    Memory: 8192,
    GPUAmount: 0,
    GPUSpec: '',
    RegionId: 'cn-hangzhou',
    ZoneId: 'cn-hangzhou-h',
    ImageId: 'ubuntu_22_04_x64_20G_alibase_20240220.vhd',
    OSName: 'Ubuntu  22.04 64位',
    OSNameEn: 'Ubuntu  22.04 64 bit',
    OSType: 'linux',
    CreationTime: '2024-01-08T02:10Z',
    StartTime: '2024-03-01T00:02Z',
    ExpiredTime: '2099-12-31T15:59Z',
    AutoReleaseTime: '',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByTraffic',
    InternetMaxBandwidthIn: 100,
    InternetMaxBandwidthOut: 5,
    InstanceNetworkType: 'vpc',
    IoOptimized: true,
    DeletionProtection: true,
    StoppedMode: 'Not-applicable',
    SerialNumber: 'c0ffee00-1111-2222-3333-m2v0c7x5k301',
    ResourceGroupId: '',
    KeyPairName: 'ops-key',
    PublicIpAddress: {
      IpAddress: ['203.0.113.40'],
    },
    EipAddress: {
      IpAddress: '',
      AllocationId: '',
      Bandwidth: 0,
      InternetChargeType: '',
      IsSupportUnassociate: false,
    },
    InnerIpAddress: {
      IpAddress: [],
    },
    VpcAttributes: {
      VpcId: 'vpc-bp1opxu1zkhn00gzv26cp',
      VSwitchId: 'vsw-bp1ddbrxdlrcbim46zvrx',
      PrivateIpAddress: {
        IpAddress: ['172.16.10.21'],
      },
      NatIpAddress: '',
    },
    SecurityGroupIds: {
      SecurityGroupId: ['sg-bp67acfmxazb4p0q0c5n'],
    },
    NetworkInterfaces: {
      NetworkInterface: [
        {
          NetworkInterfaceId: 'eni-bp1u4m2v0c7x5k301',
          MacAddress: '00:16:3e:12:34:01',
          PrimaryIpAddress: '172.16.10.21',
          Type: 'Primary',
          PrivateIpSets: {
            PrivateIpSet: [
              {
                PrivateIpAddress: '172.16.10.21',
                Primary: true,
              },
            ],
          },
        },
      ],
    },
    OperationLocks: {
      LockReason: [],
    },
    Tags: {
      Tag: [
        {
          TagKey: 'env',
          TagValue: 'production',
        },
        {
          TagKey: 'app',
          TagValue: 'order',
        },
      ],
    },
  },
  {
    InstanceId: 'i-bp1hx8u4m2v0c7x5k302',
    InstanceName: 'report-batch',
    HostName: 'report-batch',
    Description: '',
    Status: 'Stopped',
    InstanceType: 'ecs.c7.xlarge',
    InstanceTypeFamily: 'ecs.c7',
    Cpu: 4,
    Memory: 8192,
    GPUAmount: 0,
    GPUSpec: '',
    RegionId: 'cn-hangzhou',
    ZoneId: 'cn-hangzhou-h',
    ImageId: 'ubuntu_22_04_x64_20G_alibase_20240220.vhd',
    OSName: 'Ubuntu  22.04 64位',
    OSNameEn: 'Ubuntu  22.04 64 bit',
    OSType: 'linux',
    CreationTime: '2024-02-19T06:45Z',
    StartTime: '2024-02-19T06:46Z',
    ExpiredTime: '2099-12-31T15:59Z',
    AutoReleaseTime: '',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByTraffic',
    InternetMaxBandwidthIn: 100,
    InternetMaxBandwidthOut: 5,
    InstanceNetworkType: 'vpc',
    IoOptimized: true,
    DeletionProtection: false,
    StoppedMode: 'KeepCharging',
    SerialNumber: 'c0ffee00-1111-2222-3333-m2v0c7x5k302',
    ResourceGroupId: '',
    KeyPairName: 'ops-key',
    PublicIpAddress: {
      IpAddress: [],
    },
    EipAddress: {
      IpAddress: '203.0.113.41',
      AllocationId: 'eip-bp1v0c7x5k302',
      Bandwidth: 10,
      InternetChargeType: 'PayByTraffic',
      IsSupportUnassociate: true,
    },
    InnerIpAddress: {
      IpAddress: [],
    },
    VpcAttributes: {
      VpcId: 'vpc-bp1opxu1zkhn00gzv26cp',
      VSwitchId: 'vsw-bp1ddbrxdlrcbim46zvrx',
      PrivateIpAddress: {
        IpAddress: ['172.16.10.22'],
      },
      NatIpAddress: '',
    },
    SecurityGroupIds: {
      SecurityGroupId: ['sg-bp67acfmxazb4p0q0c5n'],
    },
    NetworkInterfaces: {
      NetworkInterface: [
        {
          NetworkInterfaceId: 'eni-bp1u4m2v0c7x5k302',
          MacAddress: '00:16:3e:12:34:02',
          PrimaryIpAddress: '172.16.10.22',
          Type: 'Primary',
          PrivateIpSets: {
            PrivateIpSet: [
              {
                PrivateIpAddress: '172.16.10.22',
                Primary: true,
              },
            ],
          },
        },
      ],
    },
    OperationLocks: {
      LockReason: [],
    },
    Tags: {
      Tag: [
        {
          TagKey: 'env',
          TagValue: 'staging',
        },
      ],
    },
  },
  {
    InstanceId: 'i-bp1hx8u4m2v0c7x5k303',
    InstanceName: 'test-box',
    HostName: 'test-box',
    Description: '',
    Status: 'Running',
    InstanceType: 'ecs.t6-c1m1.large',
    InstanceTypeFamily: 'ecs.t6',
    Cpu: 2,
    Memory: 2048,
    GPUAmount: 0,
    GPUSpec: '',
    RegionId: 'cn-hangzhou',
    ZoneId: 'cn-hangzhou-h',
    ImageId: 'ubuntu_22_04_x64_20G_alibase_20240220.vhd',
    OSName: 'Ubuntu  22.04 64位',
    OSNameEn: 'Ubuntu  22.04 64 bit',
    OSType: 'linux',
    CreationTime: '2023-12-01T11:30Z',
    StartTime: '2024-03-05T09:00Z',
    ExpiredTime: '2099-12-31T15:59Z',
    AutoReleaseTime: '',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByTraffic',
    InternetMaxBandwidthIn: 100,
    InternetMaxBandwidthOut: 1,
    InstanceNetworkType: 'vpc',
    IoOptimized: true,
    DeletionProtection: false,
    StoppedMode: 'Not-applicable',
    SerialNumber: 'c0ffee00-1111-2222-3333-m2v0c7x5k303',
    ResourceGroupId: '',
    KeyPairName: 'ops-key',
    PublicIpAddress: {
      IpAddress: ['203.0.113.42'],
    },
    EipAddress: {
      IpAddress: '',
      AllocationId: '',
      Bandwidth: 0,
      InternetChargeType: '',
      IsSupportUnassociate: false,
    },
    InnerIpAddress: {
      IpAddress: [],
    },
    VpcAttributes: {
      VpcId: 'vpc-bp1opxu1zkhn00gzv26cp',
      VSwitchId: 'vsw-bp1ddbrxdlrcbim46zvrx',
      PrivateIpAddress: {
        IpAddress: ['172.16.10.23'],
      },
      NatIpAddress: '',
    },
    SecurityGroupIds: {
      SecurityGroupId: ['sg-bp67acfmxazb4p0q0c5n'],
    },
    NetworkInterfaces: {
      NetworkInterface: [
        {
          NetworkInterfaceId: 'eni-bp1u4m2v0c7x5k303',
          MacAddress: '00:16:3e:12:34:03',
          PrimaryIpAddress: '172.16.10.23',
          Type: 'Primary',
          PrivateIpSets: {
            PrivateIpSet: [
              {
                PrivateIpAddress: '172.16.10.23',
                Primary: true,
              },
            ],
          },
        },
      ],
    },
    OperationLocks: {
      LockReason: [],
    },
    Tags: {
      Tag: [],
    },
  },
  {
    InstanceId: 'i-bp1hx8u4m2v0c7x5k304',
    InstanceName: 'etl-internal',
    HostName: 'etl-internal',
    Description: '',
    Status: 'Running',
    InstanceType: 'ecs.g7.8xlarge',
    InstanceTypeFamily: 'ecs.t6',
    Cpu: 32,
    Memory: 131072,
    GPUAmount: 0,
    GPUSpec: '',
    RegionId: 'cn-hangzhou',
    ZoneId: 'cn-hangzhou-h',
    ImageId: 'ubuntu_22_04_x64_20G_alibase_20240220.vhd',
    OSName: 'Ubuntu  22.04 64位',
    OSNameEn: 'Ubuntu  22.04 64 bit',
    OSType: 'linux',
    CreationTime: '2024-02-02T08:00Z',
    StartTime: '2024-02-02T08:01Z',
    ExpiredTime: '2099-12-31T15:59Z',
    AutoReleaseTime: '',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByTraffic',
    InternetMaxBandwidthIn: 100,
    InternetMaxBandwidthOut: 1,
    InstanceNetworkType: 'vpc',
    IoOptimized: true,
    DeletionProtection: false,
    StoppedMode: 'Not-applicable',
    SerialNumber: 'c0ffee00-1111-2222-3333-m2v0c7x5k304',
    ResourceGroupId: '',
    KeyPairName: 'ops-key',
    PublicIpAddress: {
      IpAddress: [],
    },
    EipAddress: {
      IpAddress: '',
      AllocationId: '',
      Bandwidth: 0,
      InternetChargeType: '',
      IsSupportUnassociate: false,
    },
    InnerIpAddress: {
      IpAddress: [],
    },
    VpcAttributes: {
      VpcId: 'vpc-bp1opxu1zkhn00gzv26cp',
      VSwitchId: 'vsw-bp1ddbrxdlrcbim46zvrx',
      PrivateIpAddress: {
        IpAddress: ['172.16.10.24'],
      },
      NatIpAddress: '',
    },
    SecurityGroupIds: {
      SecurityGroupId: ['sg-bp67acfmxazb4p0q0c5n'],
    },
    NetworkInterfaces: {
      NetworkInterface: [
        {
          NetworkInterfaceId: 'eni-bp1u4m2v0c7x5k304',
          MacAddress: '00:16:3e:12:34:04',
          PrimaryIpAddress: '172.16.10.24',
          Type: 'Primary',
          PrivateIpSets: {
            PrivateIpSet: [
              {
                PrivateIpAddress: '172.16.10.24',
                Primary: true,
              },
            ],
          },
        },
      ],
    },
    OperationLocks: {
      LockReason: [],
    },
    Tags: {
      Tag: [
        {
          TagKey: 'team',
          TagValue: 'data',
        },
      ],
    },
  },
  {
    InstanceId: 'i-uf6a1b2c3d4e5f6g7h01',
    InstanceName: 'cdn-origin-sh',
    HostName: 'cdn-origin-sh',
    Description: '',
    Status: 'Running',
    InstanceType: 'ecs.c7.large',
    InstanceTypeFamily: 'ecs.g7',
    Cpu: 2,
    Memory: 4096,
    GPUAmount: 0,
    GPUSpec: '',
    RegionId: 'cn-shanghai',
    ZoneId: 'cn-shanghai-l',
    ImageId: 'ubuntu_22_04_x64_20G_alibase_20240220.vhd',
    OSName: 'Ubuntu  22.04 64位',
    OSNameEn: 'Ubuntu  22.04 64 bit',
    OSType: 'linux',
    CreationTime: '2024-02-10T03:00Z',
    StartTime: '2024-03-01T00:02Z',
    ExpiredTime: '2099-12-31T15:59Z',
    AutoReleaseTime: '',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByTraffic',
    InternetMaxBandwidthIn: 100,
    InternetMaxBandwidthOut: 5,
    InstanceNetworkType: 'vpc',
    IoOptimized: true,
    DeletionProtection: true,
    StoppedMode: 'Not-applicable',
    SerialNumber: 'c0ffee00-1111-2222-3333-a1b2c3d4e5f6',
    ResourceGroupId: '',
    KeyPairName: 'ops-key',
    PublicIpAddress: {
      IpAddress: [],
    },
    EipAddress: {
      IpAddress: '203.0.113.45',
      AllocationId: 'eip-uf6a1b2c3d4e5f6g7',
      Bandwidth: 20,
      InternetChargeType: 'PayByTraffic',
      IsSupportUnassociate: true,
    },
    InnerIpAddress: {
      IpAddress: [],
    },
    VpcAttributes: {
      VpcId: 'vpc-uf6opxu1zkhn00gzv26cp',
      VSwitchId: 'vsw-uf6ddbrxdlrcbim46zvrx',
      PrivateIpAddress: {
        IpAddress: ['172.18.0.5'],
      },
      NatIpAddress: '',
    },
    SecurityGroupIds: {
      SecurityGroupId: ['sg-bp67acfmxazb4p0q0c5n'],
    },
    NetworkInterfaces: {
      NetworkInterface: [
        {
          NetworkInterfaceId: 'eni-uf6a1b2c3d4e5f6g7h01',
          MacAddress: '00:16:3e:22:34:01',
          PrimaryIpAddress: '172.18.0.5',
          Type: 'Primary',
          PrivateIpSets: {
            PrivateIpSet: [
              {
                PrivateIpAddress: '172.18.0.5',
                Primary: true,
              },
            ],
          },
        },
      ],
    },
    OperationLocks: {
      LockReason: [],
    },
    Tags: {
      Tag: [
        {
          TagKey: 'app',
          TagValue: 'cdn',
        },
      ],
    },
  },
];

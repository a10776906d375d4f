/**
 * The simulated AWS account of the sandbox and the tests, in EC2 query-XML element names (the
 * fake renders them as XML). us-east-1: a production-tagged instance, a stopped one, a small dev
 * box and one without a public IP; eu-west-1: one reachable only through an Elastic IP on a
 * secondary network interface. Invented data (documentation address ranges).
 */

// biome-ignore lint/suspicious/noExplicitAny: wire-shaped data
type Json = any;

export const AWS_ACCOUNT_ID = '123456789012';

/** Instances by region; `_reservationId` groups them into reservations. */
export const AWS_INSTANCES: Record<string, Json[]> = {
  'us-east-1': [
    {
      instanceId: 'i-0a1b2c3d4e5f60001',
      imageId: 'ami-0c7217cdde317cfec',
      instanceState: {
        code: 16,
        name: 'running',
      },
      privateDnsName: 'ip-10-0-1-15.ec2.internal',
      dnsName: 'ec2-203-0-113-10.compute-1.amazonaws.com',
      reason: '',
      keyName: 'ops-key',
      amiLaunchIndex: 0,
      instanceType: 'm6i.large',
      launchTime: '2024-02-01T08:15:30.000Z',
      placement: {
        availabilityZone: 'us-east-1a',
        groupName: '',
        tenancy: 'default',
      },
      monitoring: {
        state: 'enabled',
      },
      subnetId: 'subnet-0aa11bb22cc33dd44',
      vpcId: 'vpc-0c3d5e7f9a1b2c3d4',
      privateIpAddress: '10.0.1.15',
      sourceDestCheck: true,
      groupSet: [
        {
          groupId: 'sg-0a1b2c3d4e5f60789',
          groupName: 'app-sg',
        },
      ],
      architecture: 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      blockDeviceMapping: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeId: 'vol-0a1b2c3d4e5f70001',
            status: 'attached',
            attachTime: '2024-02-01T08:15:30.000Z',
            deleteOnTermination: true,
          },
        },
        {
          deviceName: '/dev/sdf',
          ebs: {
            volumeId: 'vol-0a1b2c3d4e5f70002',
            status: 'attached',
            attachTime: '2024-02-01T08:15:30.000Z',
            deleteOnTermination: false,
          },
        },
      ],
      virtualizationType: 'hvm',
      clientToken: '',
      tagSet: [
        {
          key: 'Name',
          value: 'web-prod-01',
        },
        {
          key: 'Environment',
          value: 'production',
        },
        {
          key: 'Owner',
          value: 'platform-team',
        },
      ],
      hypervisor: 'nitro',
      ebsOptimized: true,
      enaSupport: true,
      platformDetails: 'Linux/UNIX',
      usageOperation: 'RunInstances',
      metadataOptions: {
        state: 'applied',
        httpTokens: 'required',
        httpPutResponseHopLimit: 2,
        httpEndpoint: 'enabled',
      },
      currentInstanceBootMode: 'legacy-bios',
      ipAddress: '203.0.113.10',
      _reservationId: 'r-0f1e2d3c4b5a60001',
      cpuOptions: {
        coreCount: 1,
        threadsPerCore: 2,
      },
      networkInterfaceSet: [
        {
          networkInterfaceId: 'eni-0a1b2c3d4e5f60001',
          privateIpAddress: '10.0.1.15',
          privateIpAddressesSet: [
            {
              privateIpAddress: '10.0.1.15',
              primary: true,
              association: {
                publicIp: '203.0.113.10',
                ipOwnerId: 'amazon',
              },
            },
          ],
          attachment: {
            deviceIndex: 0,
            status: 'attached',
          },
          association: {
            publicIp: '203.0.113.10',
            ipOwnerId: 'amazon',
          },
        },
      ],
    },
    {
      instanceId: 'i-0a1b2c3d4e5f60003',
      imageId: 'ami-0c7217cdde317cfec',
      instanceState: {
        code: 16,
        name: 'running',
      },
      privateDnsName: 'ip-10-0-1-77.ec2.internal',
      dnsName: 'ec2-203-0-113-12.compute-1.amazonaws.com',
      reason: '',
      keyName: 'ops-key',
      amiLaunchIndex: 0,
      instanceType: 't3.micro',
      launchTime: '2024-03-04T06:00:00.000Z',
      placement: {
        availabilityZone: 'us-east-1a',
        groupName: '',
        tenancy: 'default',
      },
      monitoring: {
        state: 'disabled',
      },
      subnetId: 'subnet-0aa11bb22cc33dd44',
      vpcId: 'vpc-0c3d5e7f9a1b2c3d4',
      privateIpAddress: '10.0.1.77',
      sourceDestCheck: true,
      groupSet: [
        {
          groupId: 'sg-0a1b2c3d4e5f60789',
          groupName: 'app-sg',
        },
      ],
      architecture: 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      blockDeviceMapping: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeId: 'vol-0a1b2c3d4e5f70004',
            status: 'attached',
            attachTime: '2024-03-04T06:00:00.000Z',
            deleteOnTermination: true,
          },
        },
      ],
      virtualizationType: 'hvm',
      clientToken: '',
      tagSet: [
        {
          key: 'Name',
          value: 'dev-sandbox-03',
        },
        {
          key: 'Environment',
          value: 'dev',
        },
      ],
      hypervisor: 'nitro',
      ebsOptimized: false,
      enaSupport: true,
      platformDetails: 'Linux/UNIX',
      usageOperation: 'RunInstances',
      metadataOptions: {
        state: 'applied',
        httpTokens: 'required',
        httpPutResponseHopLimit: 2,
        httpEndpoint: 'enabled',
      },
      currentInstanceBootMode: 'legacy-bios',
      ipAddress: '203.0.113.12',
      _reservationId: 'r-0f1e2d3c4b5a60001',
      cpuOptions: {
        coreCount: 1,
        threadsPerCore: 2,
      },
      networkInterfaceSet: [
        {
          networkInterfaceId: 'eni-0a1b2c3d4e5f60003',
          privateIpAddress: '10.0.1.77',
          privateIpAddressesSet: [
            {
              privateIpAddress: '10.0.1.77',
              primary: true,
              association: {
                publicIp: '203.0.113.12',
                ipOwnerId: 'amazon',
              },
            },
          ],
          attachment: {
            deviceIndex: 0,
            status: 'attached',
          },
          association: {
            publicIp: '203.0.113.12',
            ipOwnerId: 'amazon',
          },
        },
      ],
    },
    {
      instanceId: 'i-0a1b2c3d4e5f60002',
      imageId: 'ami-0c7217cdde317cfec',
      instanceState: {
        code: 80,
        name: 'stopped',
      },
      privateDnsName: 'ip-10-0-2-20.ec2.internal',
      dnsName: '',
      reason: 'User initiated (2024-03-02 21:00:14 GMT)',
      keyName: 'ops-key',
      amiLaunchIndex: 0,
      instanceType: 'c6i.xlarge',
      launchTime: '2024-01-12T17:40:02.000Z',
      placement: {
        availabilityZone: 'us-east-1b',
        groupName: '',
        tenancy: 'default',
      },
      monitoring: {
        state: 'disabled',
      },
      subnetId: 'subnet-0bb22cc33dd44ee55',
      vpcId: 'vpc-0c3d5e7f9a1b2c3d4',
      privateIpAddress: '10.0.2.20',
      sourceDestCheck: true,
      groupSet: [
        {
          groupId: 'sg-0a1b2c3d4e5f60789',
          groupName: 'app-sg',
        },
      ],
      architecture: 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      blockDeviceMapping: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeId: 'vol-0a1b2c3d4e5f70003',
            status: 'attached',
            attachTime: '2024-01-12T17:40:02.000Z',
            deleteOnTermination: true,
          },
        },
      ],
      virtualizationType: 'hvm',
      clientToken: '',
      tagSet: [
        {
          key: 'Name',
          value: 'batch-worker-02',
        },
        {
          key: 'Environment',
          value: 'staging',
        },
      ],
      hypervisor: 'nitro',
      ebsOptimized: true,
      enaSupport: true,
      platformDetails: 'Linux/UNIX',
      usageOperation: 'RunInstances',
      metadataOptions: {
        state: 'applied',
        httpTokens: 'required',
        httpPutResponseHopLimit: 2,
        httpEndpoint: 'enabled',
      },
      currentInstanceBootMode: 'legacy-bios',
      stateReason: {
        code: 'Client.UserInitiatedShutdown',
        message: 'Client.UserInitiatedShutdown: User initiated shutdown',
      },
      _reservationId: 'r-0f1e2d3c4b5a60002',
      cpuOptions: {
        coreCount: 2,
        threadsPerCore: 2,
      },
      networkInterfaceSet: [
        {
          networkInterfaceId: 'eni-0a1b2c3d4e5f60002',
          privateIpAddress: '10.0.2.20',
          privateIpAddressesSet: [
            {
              privateIpAddress: '10.0.2.20',
              primary: true,
            },
          ],
          attachment: {
            deviceIndex: 0,
            status: 'attached',
          },
        },
      ],
    },
    {
      instanceId: 'i-0a1b2c3d4e5f60004',
      imageId: 'ami-0c7217cdde317cfec',
      instanceState: {
        code: 16,
        name: 'running',
      },
      privateDnsName: 'ip-10-0-3-40.ec2.internal',
      dnsName: '',
      reason: '',
      keyName: 'ops-key',
      amiLaunchIndex: 0,
      instanceType: 'r6i.4xlarge',
      launchTime: '2024-02-20T10:00:00.000Z',
      placement: {
        availabilityZone: 'us-east-1a',
        groupName: '',
        tenancy: 'default',
      },
      monitoring: {
        state: 'disabled',
      },
      subnetId: 'subnet-0aa11bb22cc33dd44',
      vpcId: 'vpc-0c3d5e7f9a1b2c3d4',
      privateIpAddress: '10.0.3.40',
      sourceDestCheck: true,
      groupSet: [
        {
          groupId: 'sg-0a1b2c3d4e5f60789',
          groupName: 'app-sg',
        },
      ],
      architecture: 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      blockDeviceMapping: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeId: 'vol-0a1b2c3d4e5f70005',
            status: 'attached',
            attachTime: '2024-02-20T10:00:00.000Z',
            deleteOnTermination: true,
          },
        },
      ],
      virtualizationType: 'hvm',
      clientToken: '',
      tagSet: [
        {
          key: 'Name',
          value: 'internal-db-01',
        },
        {
          key: 'Environment',
          value: 'staging',
        },
      ],
      hypervisor: 'nitro',
      ebsOptimized: false,
      enaSupport: true,
      platformDetails: 'Linux/UNIX',
      usageOperation: 'RunInstances',
      metadataOptions: {
        state: 'applied',
        httpTokens: 'required',
        httpPutResponseHopLimit: 2,
        httpEndpoint: 'enabled',
      },
      currentInstanceBootMode: 'legacy-bios',
      _reservationId: 'r-0f1e2d3c4b5a60003',
      cpuOptions: {
        coreCount: 8,
        threadsPerCore: 2,
      },
      networkInterfaceSet: [
        {
          networkInterfaceId: 'eni-0a1b2c3d4e5f60004',
          privateIpAddress: '10.0.3.40',
          privateIpAddressesSet: [
            {
              privateIpAddress: '10.0.3.40',
              primary: true,
            },
          ],
          attachment: {
            deviceIndex: 0,
            status: 'attached',
          },
        },
      ],
    },
  ],
  'eu-west-1': [
    {
      instanceId: 'i-0e1f2a3b4c5d60005',
      imageId: 'ami-0c7217cdde317cfec',
      instanceState: {
        code: 16,
        name: 'running',
      },
      privateDnsName: 'ip-10-1-1-9.eu-west-1.compute.internal',
      dnsName: '',
      reason: '',
      keyName: 'ops-key',
      amiLaunchIndex: 0,
      instanceType: 't3.small',
      launchTime: '2024-03-01T12:00:00.000Z',
      placement: {
        availabilityZone: 'eu-west-1a',
        groupName: '',
        tenancy: 'default',
      },
      monitoring: {
        state: 'enabled',
      },
      subnetId: 'subnet-0aa11bb22cc33dd44',
      vpcId: 'vpc-0c3d5e7f9a1b2c3d4',
      privateIpAddress: '10.1.1.9',
      sourceDestCheck: true,
      groupSet: [
        {
          groupId: 'sg-0a1b2c3d4e5f60789',
          groupName: 'app-sg',
        },
      ],
      architecture: 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      blockDeviceMapping: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeId: 'vol-0e1f2a3b4c5d70006',
            status: 'attached',
            attachTime: '2024-03-01T12:00:00.000Z',
            deleteOnTermination: true,
          },
        },
      ],
      virtualizationType: 'hvm',
      clientToken: '',
      tagSet: [
        {
          key: 'Name',
          value: 'eu-gateway',
        },
        {
          key: 'env',
          value: 'prod',
        },
      ],
      hypervisor: 'nitro',
      ebsOptimized: true,
      enaSupport: true,
      platformDetails: 'Linux/UNIX',
      usageOperation: 'RunInstances',
      metadataOptions: {
        state: 'applied',
        httpTokens: 'required',
        httpPutResponseHopLimit: 2,
        httpEndpoint: 'enabled',
      },
      currentInstanceBootMode: 'legacy-bios',
      _reservationId: 'r-0e1f2a3b4c5d60005',
      cpuOptions: {
        coreCount: 1,
        threadsPerCore: 2,
      },
      networkInterfaceSet: [
        {
          networkInterfaceId: 'eni-0e1f2a3b4c5d6p001',
          privateIpAddress: '10.1.1.9',
          privateIpAddressesSet: [
            {
              privateIpAddress: '10.1.1.9',
              primary: true,
            },
          ],
          attachment: {
            deviceIndex: 0,
            status: 'attached',
          },
        },
        {
          networkInterfaceId: 'eni-0e1f2a3b4c5d6s002',
          privateIpAddress: '10.1.2.9',
          privateIpAddressesSet: [
            {
              privateIpAddress: '10.1.2.9',
              primary: true,
              association: {
                publicIp: '198.51.100.77',
                ipOwnerId: '123456789012',
                allocationId: 'eipalloc-0e1f2a3b4c5d60001',
              },
            },
          ],
          association: {
            publicIp: '198.51.100.77',
            ipOwnerId: '123456789012',
          },
          attachment: {
            deviceIndex: 1,
            status: 'attached',
          },
        },
      ],
    },
  ],
};

/** EBS volumes by region. */
export const AWS_VOLUMES: Record<string, Json[]> = {
  'us-east-1': [
    {
      volumeId: 'vol-0a1b2c3d4e5f70001',
      size: 30,
      snapshotId: 'snap-0f1e2d3c4b5a69788',
      availabilityZone: 'us-east-1a',
      status: 'in-use',
      createTime: '2024-02-01T08:15:30.000Z',
      attachmentSet: [
        {
          volumeId: 'vol-0a1b2c3d4e5f70001',
          instanceId: 'i-0a1b2c3d4e5f60001',
          device: '/dev/xvda',
          status: 'attached',
          attachTime: '2024-02-01T08:15:30.000Z',
          deleteOnTermination: true,
        },
      ],
      volumeType: 'gp3',
      encrypted: true,
      multiAttachEnabled: false,
      tagSet: [],
      iops: 3000,
      throughput: 125,
    },
    {
      volumeId: 'vol-0a1b2c3d4e5f70002',
      size: 500,
      snapshotId: '',
      availabilityZone: 'us-east-1a',
      status: 'in-use',
      createTime: '2024-02-01T08:15:30.000Z',
      attachmentSet: [
        {
          volumeId: 'vol-0a1b2c3d4e5f70002',
          instanceId: 'i-0a1b2c3d4e5f60001',
          device: '/dev/sdf',
          status: 'attached',
          attachTime: '2024-02-01T08:15:30.000Z',
          deleteOnTermination: false,
        },
      ],
      volumeType: 'io2',
      encrypted: true,
      multiAttachEnabled: false,
      tagSet: [],
      iops: 10000,
    },
    {
      volumeId: 'vol-0a1b2c3d4e5f70003',
      size: 100,
      snapshotId: 'snap-0f1e2d3c4b5a69788',
      availabilityZone: 'us-east-1b',
      status: 'in-use',
      createTime: '2024-01-12T17:40:02.000Z',
      attachmentSet: [
        {
          volumeId: 'vol-0a1b2c3d4e5f70003',
          instanceId: 'i-0a1b2c3d4e5f60002',
          device: '/dev/xvda',
          status: 'attached',
          attachTime: '2024-01-12T17:40:02.000Z',
          deleteOnTermination: true,
        },
      ],
      volumeType: 'gp2',
      encrypted: true,
      multiAttachEnabled: false,
      tagSet: [],
      iops: 300,
    },
    {
      volumeId: 'vol-0a1b2c3d4e5f70004',
      size: 8,
      snapshotId: 'snap-0f1e2d3c4b5a69788',
      availabilityZone: 'us-east-1a',
      status: 'in-use',
      createTime: '2024-03-04T06:00:00.000Z',
      attachmentSet: [
        {
          volumeId: 'vol-0a1b2c3d4e5f70004',
          instanceId: 'i-0a1b2c3d4e5f60003',
          device: '/dev/xvda',
          status: 'attached',
          attachTime: '2024-03-04T06:00:00.000Z',
          deleteOnTermination: true,
        },
      ],
      volumeType: 'gp3',
      encrypted: true,
      multiAttachEnabled: false,
      tagSet: [],
      iops: 3000,
      throughput: 125,
    },
    {
      volumeId: 'vol-0a1b2c3d4e5f70005',
      size: 1000,
      snapshotId: '',
      availabilityZone: 'us-east-1a',
      status: 'in-use',
      createTime: '2024-02-20T10:00:00.000Z',
      attachmentSet: [
        {
          volumeId: 'vol-0a1b2c3d4e5f70005',
          instanceId: 'i-0a1b2c3d4e5f60004',
          device: '/dev/xvda',
          status: 'attached',
          attachTime: '2024-02-20T10:00:00.000Z',
          deleteOnTermination: true,
        },
      ],
      volumeType: 'gp3',
      encrypted: true,
      multiAttachEnabled: false,
      tagSet: [],
      iops: 6000,
      throughput: 250,
    },
  ],
  'eu-west-1': [
    {
      volumeId: 'vol-0e1f2a3b4c5d70006',
      size: 20,
      snapshotId: '',
      availabilityZone: 'eu-west-1a',
      status: 'in-use',
      createTime: '2024-03-01T12:00:00.000Z',
      attachmentSet: [
        {
          volumeId: 'vol-0e1f2a3b4c5d70006',
          instanceId: 'i-0e1f2a3b4c5d60005',
          device: '/dev/xvda',
          status: 'attached',
          attachTime: '2024-03-01T12:00:00.000Z',
          deleteOnTermination: true,
        },
      ],
      volumeType: 'gp3',
      encrypted: false,
      multiAttachEnabled: false,
      tagSet: [],
      iops: 3000,
      throughput: 125,
    },
  ],
};

import { awsProvider } from '../../credentials/aws.js';
import { assertAvailable } from '../availability.js';
import type { ProviderModule } from '../types.js';
import { findAwsByIp, getAwsInstance } from './instances.js';

export { AWS_INSTANCE_ID, type AwsInstance, describeInstances, findAwsByIp, getAwsInstance } from './instances.js';

/** AWS EC2, read only: no power operations. */
export const awsModule: ProviderModule = {
  id: 'aws',
  title: 'AWS',
  credentials: awsProvider,
  async findByIp(ctx, ip) {
    assertAvailable(ctx, awsModule);
    return (await findAwsByIp(ctx, ip)).map((i) => i.summary);
  },
  async getInstance(ctx, id, region) {
    assertAvailable(ctx, awsModule);
    return (await getAwsInstance(ctx, id, region)).summary;
  },
  // No power: EC2 stays read only, so manage_instance_power answers OPERATION_NOT_SUPPORTED.
};

import type { Options } from 'tsup';
import { serverBuild } from '../../tsup.server.js';
import { withVendoredPackages } from '../../tsup.vendor.js';

const builds = serverBuild({ entries: { 'sandbox/index': 'src/sandbox/index.ts' } }) as Options[];

/**
 * The AWS SDK's EC2 and CloudWatch clients and Alibaba Cloud's ECS client (with the generic
 * OpenAPI client and the credentials chain) installed about 65 MB; bundled into dist/vendor/ with only
 * the commands, operations and models the sources use, they are devDependencies.
 */
export default withVendoredPackages(builds, {
  packages: [
    '@alicloud/credentials',
    '@alicloud/ecs20140526',
    '@alicloud/openapi-core',
    '@aws-sdk/client-cloudwatch',
    '@aws-sdk/client-ec2',
  ],
  // ws (under the Alibaba Cloud SDKs) tries its native helpers in a try/catch.
  optional: ['bufferutil', 'utf-8-validate'],
});

import { defineTool } from '@opsmcp/core';
import { z } from 'zod';
import { assertAvailable } from '../../providers/availability.js';
import { regionOf } from '../../providers/aws/clients.js';
import { awsModule, describeInstances } from '../../providers/aws/index.js';
import { AWS_MAX_PAGES } from '../../providers/aws/instances.js';
import { instanceSummarySchema } from '../../providers/schema.js';
import { awsRegionInput } from './schemas.js';

export const listAwsInstances = defineTool({
  name: 'list_aws_instances',
  title: 'List AWS EC2 instances',
  description: `Lists the EC2 instances of one region (read only), every page (at most ${AWS_MAX_PAGES * 1000} instances; the result says when it was cut): id, name, state, type, public and private IPs, tags, launch time.`,
  access: 'read',
  toolset: 'aws',
  input: z.object({ region: awsRegionInput }),
  output: z.object({
    region: z.string(),
    count: z.number(),
    instances: z.array(instanceSummarySchema.extend({ availabilityZone: z.string().nullable() })),
    truncated: z.boolean(),
    note: z.string().optional(),
  }),
  async handler({ region }, ctx) {
    assertAvailable(ctx, awsModule);
    const where = regionOf(ctx, region);
    const page = await describeInstances(ctx, where, {});
    return {
      region: where,
      count: page.instances.length,
      instances: page.instances.map((i) => ({ ...i.summary, availabilityZone: i.availabilityZone })),
      truncated: page.truncated,
      ...(page.truncated
        ? {
            note: `Only the first ${AWS_MAX_PAGES * 1000} instances were read; use the AWS console or CLI for the rest.`,
          }
        : {}),
    };
  },
});

import { describe, expect, it } from 'vitest';
import { mapAlibabaError } from '../src/providers/alibaba/errors.js';
import { mapAwsError } from '../src/providers/aws/errors.js';

describe('provider error mapping', () => {
  it("reports a fault of the server's own code as INTERNAL, not as the cloud's trouble", () => {
    for (const mapped of [
      mapAwsError(new TypeError('s is not a constructor'), 'EC2 DescribeVolumes'),
      mapAlibabaError(new TypeError('n.rebootInstanceWithOptions is not a function'), 'ECS RebootInstance'),
      mapAwsError(new ReferenceError('x is not defined'), 'EC2 DescribeInstances'),
    ]) {
      expect(mapped.code).toBe('INTERNAL');
      expect(mapped.retryable).toBe(false);
      expect(mapped.message).toMatch(/failed inside the server/);
    }
  });

  it('still maps SDK and network failures by their codes', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(mapAwsError(refused, 'EC2 DescribeInstances')).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true });
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400, requestId: 'req-1' },
    });
    expect(mapAwsError(throttled, 'CloudWatch GetMetricData')).toMatchObject({
      code: 'RATE_LIMITED',
      upstream: { requestId: 'req-1' },
    });
    const ecs = Object.assign(new Error('code: 404, The specified InstanceId does not exist.'), {
      code: 'InvalidInstanceId.NotFound',
      statusCode: 404,
      data: {
        Code: 'InvalidInstanceId.NotFound',
        RequestId: 'ecs-req-1',
        Message: 'The specified InstanceId does not exist.',
      },
    });
    expect(mapAlibabaError(ecs, 'ECS DescribeInstances').code).not.toBe('INTERNAL');
  });
});

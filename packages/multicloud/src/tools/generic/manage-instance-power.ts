import { defineTool, OpsError } from '@opsmcp/core';
import { z } from 'zod';
import { powerConfirmArguments } from '../../power/confirm.js';
import { planPower, powerOutputSchema, runPower } from '../../power/define.js';
import { POWER_ACTIONS } from '../../power/operations.js';
import { providerModule } from '../../providers/index.js';
import type { PowerAction, ProviderId } from '../../providers/types.js';
import { vultrShutdownNotSupported } from '../../providers/vultr/index.js';
import { providerInput } from './schemas.js';

const input = z.object({
  provider: providerInput('digitalocean, vultr or alibaba (aws is read only and answers OPERATION_NOT_SUPPORTED)'),
  instance_id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .describe('The instance id (DigitalOcean droplet id digits, Vultr UUID, ECS i-…)'),
  action: z
    .enum(POWER_ACTIONS)
    .describe('power_on; power_off (forced); reboot; shutdown (graceful; not on Vultr, which has none)'),
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2,}(-[a-z0-9]+)+$/)
    .optional()
    .describe("Alibaba Cloud region of the instance; default: the server's"),
  wait: z.boolean().default(false).describe('DigitalOcean only: wait until the action completes'),
});

/** Refusals known before reading anything: a provider without power, a shutdown Vultr cannot do. */
function refuseUpFront(provider: ProviderId, action: PowerAction): void {
  if (provider === 'vultr' && action === 'shutdown') throw vultrShutdownNotSupported();
  if (provider === 'aws') {
    throw new OpsError(
      'OPERATION_NOT_SUPPORTED',
      'AWS is read only here: EC2 instances cannot be powered on, off or rebooted.',
      {
        hint: 'Use the AWS console or CLI for EC2 power operations.',
        retryable: false,
      },
    );
  }
}

const targetOf = (args: z.infer<typeof input>) => ({
  id: args.instance_id,
  ...(args.region ? { region: args.region } : {}),
  ...(args.provider === 'digitalocean' ? { wait: args.wait } : {}),
});

export const manageInstancePower = defineTool({
  name: 'manage_instance_power',
  title: 'Power a VM on, off or reboot it (any cloud)',
  description:
    'Powers an instance on, off (forced), reboots it or shuts it down gracefully, on DigitalOcean, Vultr or Alibaba Cloud. The state is checked first: an action that makes no sense (starting a running instance, stopping a stopped one) is refused before anything is sent. Needs the user\'s confirmation: the instance\'s public IP (its id when it has none), its name and the operation, retyped. Results say "submitted": the provider completes the action asynchronously.',
  access: 'destructive',
  toolset: 'generic',
  input,
  output: powerOutputSchema,
  confirm: (args, ctx) => {
    refuseUpFront(args.provider, args.action);
    return planPower(ctx, providerModule(args.provider), targetOf(args), args.action);
  },
  confirmArguments: powerConfirmArguments,
  handler: (args, ctx) => {
    refuseUpFront(args.provider, args.action);
    return runPower(ctx, providerModule(args.provider), targetOf(args), args.action);
  },
});

import { type AnyZodObject, defineTool, OpsError, type ToolContext, type ToolDefinition } from '@opsmcp/core';
import { z } from 'zod';
import { assertAvailable } from '../providers/availability.js';
import type { InstanceSummary, PowerAction, ProviderModule } from '../providers/types.js';
import { powerConfirmArguments, powerPlan } from './confirm.js';
import { OPERATION_DESCRIPTIONS } from './operations.js';
import { type SafetyReport, safetyChecks } from './safety.js';

/** The result of every power tool. */
export const powerOutputSchema = z.object({
  status: z.literal('submitted').describe('The provider accepted the request; it completes asynchronously.'),
  provider: z.enum(['aws', 'digitalocean', 'vultr', 'alibaba']),
  instanceId: z.string(),
  action: z.enum(['power_on', 'power_off', 'shutdown', 'reboot']),
  providerActionId: z.string().nullable().describe('DigitalOcean action id; Alibaba RequestId; null on Vultr'),
  requestId: z.string().nullable(),
  stateBefore: z.string().describe('The power state read just before the request was sent'),
  warnings: z.array(z.string()),
  message: z.string(),
  detail: z.record(z.string(), z.unknown()).optional().describe('The provider action after waiting (wait=true)'),
});
export type PowerOutput = z.infer<typeof powerOutputSchema>;

/** Where a power call goes: the instance id, and the region / wait flag when the tool has them. */
export interface PowerTarget {
  id: string;
  region?: string;
  wait?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: shared by every toolset's context
type AnyContext = ToolContext<any, any>;

/** Reads the instance and refuses an action its state does not allow (nothing sent). */
export async function readForPower(
  ctx: AnyContext,
  module: ProviderModule,
  target: PowerTarget,
  action: PowerAction,
): Promise<{ instance: InstanceSummary; safety: SafetyReport }> {
  if (!module.power) {
    throw new OpsError(
      'OPERATION_NOT_SUPPORTED',
      `${module.title} is read only here: its instances cannot be powered on, off or rebooted.`,
      { hint: `Use the ${module.title} console or CLI for power operations.` },
    );
  }
  assertAvailable(ctx, module);
  const instance = await module.getInstance(ctx, target.id, target.region);
  const safety = safetyChecks(instance, action);
  if (safety.refusal) throw safety.refusal;
  return { instance, safety };
}

/** The plan for one power call (read-only: re-reads the instance and checks the transition). */
export async function planPower(ctx: AnyContext, module: ProviderModule, target: PowerTarget, action: PowerAction) {
  const { instance, safety } = await readForPower(ctx, module, target, action);
  return powerPlan(instance, action, safety);
}

/**
 * Runs a confirmed power call: re-reads the instance just before acting (the confirmation may
 * be minutes old), re-checks the transition, then submits once (never retried).
 */
export async function runPower(
  ctx: AnyContext,
  module: ProviderModule,
  target: PowerTarget,
  action: PowerAction,
): Promise<PowerOutput> {
  const { instance, safety } = await readForPower(ctx, module, target, action);
  const power = module.power;
  if (!power) throw new OpsError('OPERATION_NOT_SUPPORTED', `${module.title} has no power operations.`);
  const result = await power(ctx, instance.id, action, {
    ...(target.region !== undefined ? { region: target.region } : {}),
    ...(target.wait !== undefined ? { wait: target.wait } : {}),
  });
  return {
    status: 'submitted',
    provider: result.provider,
    instanceId: result.instanceId,
    action: result.action,
    providerActionId: result.providerActionId,
    requestId: result.requestId,
    stateBefore: instance.state,
    warnings: safety.warnings,
    message: `${OPERATION_DESCRIPTIONS[action]} of ${instance.id} submitted to ${module.title}; it completes asynchronously, read the instance again to see its state.`,
    ...(result.detail ? { detail: result.detail } : {}),
  };
}

export interface PowerToolOptions<Input extends AnyZodObject> {
  module: ProviderModule;
  action: PowerAction;
  name: string;
  title: string;
  description: string;
  toolset: string;
  /** The tool's own input (the id and region); the three confirmation fields are added by core. */
  input: Input;
  target: (args: z.infer<Input>) => PowerTarget;
}

/**
 * A provider's power tool: `write` for power_on, `destructive` otherwise; confirmed by the user
 * (elicitation) or by the three retyped fields; the transition is checked before asking and
 * again just before acting.
 */
export function definePowerTool<Input extends AnyZodObject>(
  options: PowerToolOptions<Input>,
): ToolDefinition<Input, typeof powerOutputSchema> {
  const { module, action } = options;
  return defineTool({
    name: options.name,
    title: options.title,
    description: options.description,
    access: action === 'power_on' ? 'write' : 'destructive',
    toolset: options.toolset,
    input: options.input,
    output: powerOutputSchema,
    confirm: (args, ctx) => planPower(ctx, module, options.target(args), action),
    confirmArguments: powerConfirmArguments,
    handler: (args, ctx) => runPower(ctx, module, options.target(args), action),
  });
}

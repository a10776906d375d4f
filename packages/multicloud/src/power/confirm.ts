import type { ConfirmArguments, ConfirmCheck, ConfirmPlan } from '@opsmcp/core';
import { z } from 'zod';
import type { InstanceSummary, PowerAction } from '../providers/types.js';
import { isIpAddress, normalizeIp } from './ip.js';
import { isOperationWord, OPERATION_DESCRIPTIONS, OPERATION_WORDS, POWER_ACTIONS } from './operations.js';
import type { SafetyReport } from './safety.js';

/**
 * What the user must retype: the first public IP (IPv6 normalised), or the instance id when the
 * instance has no public IP; the name, or the instance id when it has none. Never a placeholder
 * word such as "unknown", which anyone could type without looking.
 */
export function expectedConfirmation(instance: InstanceSummary): { ip: string; name: string } {
  const ip = instance.publicIps[0];
  return {
    ip: ip ? normalizeIp(ip) : instance.id,
    name: instance.name.trim() || instance.id,
  };
}

/** The plan shown to the user (elicitation) or returned as CONFIRMATION_REQUIRED. */
export function powerPlan(instance: InstanceSummary, action: PowerAction, safety: SafetyReport): ConfirmPlan {
  const expected = expectedConfirmation(instance);
  const title = instance.name ? `"${instance.name}" (${instance.id})` : instance.id;
  return {
    message: `${OPERATION_DESCRIPTIONS[action]} of ${instance.provider} instance ${title}, now ${instance.state}. The request is submitted to the provider and completes asynchronously.`,
    details: {
      provider: instance.provider,
      instance_id: instance.id,
      name: instance.name,
      public_ip: instance.publicIps[0] ? normalizeIp(instance.publicIps[0]) : null,
      state: instance.state,
      region: instance.region,
      type: instance.type,
      operation: action,
      confirm_ip: expected.ip,
      confirm_name: expected.name,
    },
    warnings: safety.warnings,
  };
}

const describeField = (what: string) => z.string().max(256).optional().describe(what);

/** The three confirmation fields of the original multi-cloud manager, checked strictly. */
export const POWER_CONFIRM_SHAPE = {
  ip_confirmation: describeField(
    "The instance's public IP exactly as the confirmation request shows it (its instance id when it has no public IP).",
  ),
  name_confirmation: describeField(
    "The instance's name exactly as shown (case-sensitive; its instance id when it has no name).",
  ),
  operation_confirmation: describeField(
    `The operation: ${POWER_ACTIONS.map((a) => `${a} (${OPERATION_WORDS[a].slice(1).join('/')})`).join(', ')}.`,
  ),
};

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * Checks the three typed fields against the plan: both sides trimmed; the IP compared after
 * normalisation; the name exactly; the operation against the action's words, case-insensitive.
 */
export function checkPowerConfirmation(fields: Record<string, unknown>, plan: ConfirmPlan): ConfirmCheck {
  const details = plan.details ?? {};
  const expectedIp = String(details.confirm_ip ?? '');
  const expectedName = String(details.confirm_name ?? '');
  const action = details.operation as PowerAction;
  const hint = `ip_confirmation="${expectedIp}", name_confirmation="${expectedName}", operation_confirmation="${action}"`;
  const ip = str(fields.ip_confirmation);
  const name = str(fields.name_confirmation);
  const operation = str(fields.operation_confirmation);

  const missing = [
    ...(ip ? [] : ['ip_confirmation is empty']),
    ...(name ? [] : ['name_confirmation is empty']),
    ...(operation ? [] : ['operation_confirmation is empty']),
  ];
  if (missing.length > 0) return { ok: false, missing: true, reasons: missing, hint };

  const reasons: string[] = [];
  const ipMatches = isIpAddress(expectedIp) ? isIpAddress(ip) && normalizeIp(ip) === expectedIp : ip === expectedIp;
  if (!ipMatches) {
    reasons.push(
      isIpAddress(expectedIp)
        ? `ip_confirmation "${ip}" is not the instance's public IP`
        : `ip_confirmation "${ip}" is not the instance id (the instance has no public IP)`,
    );
  }
  if (name !== expectedName) reasons.push(`name_confirmation "${name}" is not the instance's name (case-sensitive)`);
  if (!isOperationWord(action, operation)) {
    reasons.push(
      `operation_confirmation "${operation}" does not name ${action} (${OPERATION_WORDS[action].join(', ')})`,
    );
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, missing: false, reasons, hint };
}

export const powerConfirmArguments: ConfirmArguments = {
  shape: POWER_CONFIRM_SHAPE,
  check: (fields, plan) => checkPowerConfirmation(fields, plan),
};

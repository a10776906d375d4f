import { OpsError } from '@opsmcp/core';
import type { InstanceSummary, PowerAction } from '../providers/types.js';

/** Sizes at or above which a power operation gets a "large instance" warning. */
export const LARGE_INSTANCE = { vcpus: 16, memoryMb: 64 * 1024 } as const;

/** Tag keys that name an environment, and the values that mean production (both case-insensitive, exact). */
export const PRODUCTION_TAG_KEYS = ['env', 'environment', 'stage'] as const;
export const PRODUCTION_TAG_VALUES = ['prod', 'production'] as const;

export interface SafetyReport {
  /** Things the user should weigh before agreeing. */
  warnings: string[];
  /** Set when the action makes no sense in the instance's current state: nothing may be sent. */
  refusal?: OpsError;
}

const isProductionValue = (value: string) =>
  (PRODUCTION_TAG_VALUES as readonly string[]).includes(value.trim().toLowerCase());

/**
 * Production tags by exact key and value (`env=prod`, `Environment=Production`, `stage:prod`),
 * and a plain tag that is exactly `prod` or `production`. `product` or `producer` never match.
 */
export function productionTags(tags: Readonly<Record<string, string>>): string[] {
  const hits: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const k = key.trim().toLowerCase();
    if ((PRODUCTION_TAG_KEYS as readonly string[]).includes(k) && isProductionValue(value)) {
      hits.push(`${key}=${value}`);
    } else if (value === '' && isProductionValue(key)) {
      hits.push(key);
    }
  }
  return hits;
}

/** The reason a state does not allow the action, or undefined when it does. */
function transitionProblem(instance: InstanceSummary, action: PowerAction): string | undefined {
  const label = `${instance.provider} instance ${instance.id}`;
  if (instance.locked) {
    return `${label} has an action in progress (state "${instance.state}"); try again when it settles.`;
  }
  if (instance.running === null) {
    return `${label} is in state "${instance.state}", neither running nor stopped; try again when it settles.`;
  }
  if (action === 'power_on' && instance.running) {
    return `${label} is already running (state "${instance.state}"); powering it on makes no sense (on some providers it would restart it).`;
  }
  if (action !== 'power_on' && !instance.running) {
    return `${label} is not running (state "${instance.state}"); ${action === 'reboot' ? 'a reboot' : `a ${action}`} needs a running instance.`;
  }
  return undefined;
}

/**
 * What to weigh before a power action: production tags, size, and whether the state allows
 * the action at all (a refusal is raised before anything is sent).
 */
export function safetyChecks(instance: InstanceSummary, action: PowerAction): SafetyReport {
  const warnings: string[] = [];
  const production = productionTags(instance.tags);
  if (production.length > 0) {
    warnings.push(`Tagged as production (${production.join(', ')}).`);
  }
  const large: string[] = [];
  if (instance.vcpus !== null && instance.vcpus >= LARGE_INSTANCE.vcpus) large.push(`${instance.vcpus} vCPUs`);
  if (instance.memoryMb !== null && instance.memoryMb >= LARGE_INSTANCE.memoryMb) {
    large.push(`${Math.round(instance.memoryMb / 1024)} GiB RAM`);
  }
  if (large.length > 0) warnings.push(`Large instance (${large.join(', ')}).`);
  if (action === 'power_off') {
    warnings.push('A forced power off cuts power without shutting the OS down: unsaved data can be lost.');
  } else if (action === 'reboot' || action === 'shutdown') {
    warnings.push('Services on the instance are interrupted.');
  }
  if (instance.publicIps.length === 0) {
    warnings.push('The instance has no public IP: confirm it by its instance id.');
  }
  const problem = transitionProblem(instance, action);
  return problem ? { warnings, refusal: new OpsError('OPERATION_NOT_SUPPORTED', problem) } : { warnings };
}

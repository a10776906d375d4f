import { isOpsError, OpsError, pollUntil, type ToolContext } from '@opsmcp/core';
import { digitaloceanProvider } from '../../credentials/digitalocean.js';
import type { PowerAction, PowerResult, ProviderModule } from '../types.js';
import type { DropletAction } from './client.js';
import { digitaloceanClient, findDropletsByIp, parseDropletId, summarizeDroplet } from './droplets.js';

export { DigitalOceanClient, mapDigitalOceanError } from './client.js';
export * from './droplets.js';

// biome-ignore lint/suspicious/noExplicitAny: any toolset's context
type AnyContext = ToolContext<any, any>;

/** How `wait=true` follows a power action: DigitalOcean actions usually finish within a minute. */
export const DIGITALOCEAN_ACTION_WAIT = {
  intervalMs: 1_000,
  deadlineMs: 45_000,
  /** Kept free before the tool's own timeout, so the "submitted" result still comes back. */
  toolTimeoutMarginMs: 5_000,
} as const;

/** The waiting budget: the deadline, or less when the tool timeout is shorter. */
function waitBudgetMs(ctx: AnyContext): number {
  const toolTimeoutMs = Number((ctx.settings as { toolTimeoutMs?: number }).toolTimeoutMs);
  const ceiling = Number.isFinite(toolTimeoutMs)
    ? toolTimeoutMs - DIGITALOCEAN_ACTION_WAIT.toolTimeoutMarginMs
    : DIGITALOCEAN_ACTION_WAIT.deadlineMs;
  return Math.max(0, Math.min(DIGITALOCEAN_ACTION_WAIT.deadlineMs, ceiling));
}

const finished = (action: DropletAction) => action.status === 'completed' || action.status === 'errored';

/**
 * Follows a droplet action until it completes or errors, reporting progress. Past the deadline
 * it returns the last status it saw: the action was submitted and keeps running.
 */
async function waitForAction(ctx: AnyContext, module: ProviderModule, action: DropletAction): Promise<DropletAction> {
  const client = await digitaloceanClient(ctx, module);
  let last = action;
  try {
    return await pollUntil({
      what: `DigitalOcean action ${action.id} (${action.type})`,
      check: async () => {
        last = await client.getAction(action.id);
        return last;
      },
      done: finished,
      intervalMs: DIGITALOCEAN_ACTION_WAIT.intervalMs,
      deadlineMs: waitBudgetMs(ctx),
      signal: ctx.signal,
      progress: (step, message) => ctx.progress(step, undefined, message),
      describe: (value) => `action ${value.id} ${value.type}: ${value.status}`,
    });
  } catch (error) {
    if (isOpsError(error) && error.code === 'TIMEOUT' && !ctx.signal.aborted) return last;
    throw error;
  }
}

export const digitaloceanModule: ProviderModule = {
  id: 'digitalocean',
  title: 'DigitalOcean',
  credentials: digitaloceanProvider,

  async findByIp(ctx, ip) {
    const client = await digitaloceanClient(ctx, digitaloceanModule);
    const matches = await findDropletsByIp(ctx, client, ip);
    return matches.map((m) => summarizeDroplet(m.droplet, m.reservedIps));
  },

  async getInstance(ctx, id) {
    const dropletId = parseDropletId(id);
    const client = await digitaloceanClient(ctx, digitaloceanModule);
    return summarizeDroplet(await client.getDroplet(dropletId));
  },

  async power(ctx, id, action: PowerAction, options): Promise<PowerResult> {
    const dropletId = parseDropletId(id);
    const client = await digitaloceanClient(ctx, digitaloceanModule);
    const submitted = await client.postDropletAction(dropletId, action);
    let detail: DropletAction = submitted.action;
    if (options.wait) {
      detail = await waitForAction(ctx, digitaloceanModule, submitted.action);
      if (detail.status === 'errored') {
        throw new OpsError(
          'UPSTREAM_ERROR',
          `DigitalOcean action ${detail.id} (${action}) on droplet ${dropletId} ended with status "errored".`,
          {
            retryable: false,
            upstream: { code: 'errored', ...(submitted.requestId ? { requestId: submitted.requestId } : {}) },
            hint: 'Read the droplet and its recent actions (get_digitalocean_droplet_actions) to see its current state.',
          },
        );
      }
    }
    return {
      status: 'submitted',
      provider: 'digitalocean',
      instanceId: String(dropletId),
      action,
      providerActionId: String(submitted.action.id),
      requestId: submitted.requestId ?? null,
      detail: {
        id: detail.id,
        type: detail.type,
        status: detail.status,
        startedAt: detail.started_at ?? null,
        completedAt: detail.completed_at ?? null,
        region: detail.region_slug ?? null,
      },
    };
  },
};

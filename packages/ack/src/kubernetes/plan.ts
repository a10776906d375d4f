/** What a write command will change, listed object by object for the user's confirmation. */
import { type KubectlCommand, targetsSecrets } from './command.js';
import { resolveResource } from './discovery.js';
import { qualifiedName, resolveTargets } from './objects.js';
import type { ExecContext } from './types.js';
import { deleteTargets, parseManifest, planDrain } from './write.js';

export interface ChangePlan {
  message: string;
  objects: string[];
  warnings: string[];
}

const MAX_LISTED = 50;

function listed(objects: string[]): string {
  const shown = objects.slice(0, MAX_LISTED).map((o) => `- ${o}`);
  if (objects.length > MAX_LISTED) shown.push(`- … and ${objects.length - MAX_LISTED} more`);
  return shown.join('\n');
}

/** Reads (never writes) what the command would touch and describes it. */
export async function planChange(
  cmd: KubectlCommand,
  ctx: ExecContext,
  manifest: string | undefined,
  clusterId: string,
): Promise<ChangePlan> {
  const where = `in cluster ${clusterId}`;
  const dry = cmd.flags.dryRun ? ' (server dry run: nothing is stored)' : '';
  const warnings: string[] = [];
  let objects: string[];
  let action: string;
  switch (cmd.verb) {
    case 'apply':
    case 'create': {
      const parsed = parseManifest(manifest, cmd, await ctx.discovery());
      objects = parsed.map(
        (m) => `${qualifiedName(m.resource, m.name)}${m.namespace ? ` in namespace ${m.namespace}` : ''}`,
      );
      action =
        cmd.verb === 'apply'
          ? `Server-side apply (field manager opsmcp${cmd.flags.forceConflicts ? ', taking over conflicting fields' : ''})`
          : 'Create';
      break;
    }
    case 'drain': {
      const plan = await planDrain(cmd, ctx);
      action = `Drain node ${cmd.args[0]}: cordon it, then evict`;
      objects = plan.evict.map((p) => `pod ${p.metadata?.namespace}/${p.metadata?.name}`);
      if (!objects.length) objects = ['(no pods to evict)'];
      for (const s of plan.skipped) warnings.push(`Not evicted: ${s.pod} (${s.reason}).`);
      for (const b of plan.blockers) warnings.push(`Blocks the drain: ${b.pod} — ${b.reason}.`);
      warnings.push(
        'Destructive: evicted pods are deleted and rescheduled elsewhere; PodDisruptionBudgets are honoured.',
      );
      break;
    }
    case 'delete': {
      const targets = await deleteTargets(cmd, ctx);
      action = 'Delete';
      objects = targets.map(
        (t) => `${qualifiedName(t.resource, t.name)}${t.namespace ? ` in namespace ${t.namespace}` : ''}`,
      );
      warnings.push('Destructive: deleted objects cannot be restored (owned objects are garbage-collected too).');
      break;
    }
    case 'cordon':
    case 'uncordon':
      resolveResource(await ctx.discovery(), 'nodes');
      action = cmd.verb === 'cordon' ? 'Mark unschedulable (cordon)' : 'Mark schedulable again (uncordon)';
      objects = [`node/${cmd.args[0]}`];
      break;
    default: {
      const targetArgs =
        cmd.verb === 'label' || cmd.verb === 'annotate'
          ? cmd.args.filter((a) => !a.includes('=') && !a.endsWith('-'))
          : cmd.args;
      const targets = await resolveTargets(cmd, ctx, targetArgs);
      objects = targets.map(
        (t) => `${qualifiedName(t.resource, t.name)}${t.namespace ? ` in namespace ${t.namespace}` : ''}`,
      );
      const changes =
        cmd.verb === 'label' || cmd.verb === 'annotate'
          ? ` (${cmd.args.filter((a) => a.includes('=') || a.endsWith('-')).join(' ')})`
          : '';
      action =
        cmd.verb === 'scale'
          ? `Scale to ${cmd.flags.replicas} replicas`
          : cmd.verb === 'rollout'
            ? cmd.sub === 'restart'
              ? 'Restart the pods of (rolling)'
              : `Roll back${cmd.flags.toRevision ? ` to revision ${cmd.flags.toRevision}` : ' to the previous revision'}`
            : cmd.verb === 'patch'
              ? `Patch (${cmd.flags.patchType}) with ${targetsSecrets(cmd) ? '[patch hidden: Secret data]' : cmd.flags.patch}`
              : `${cmd.verb === 'label' ? 'Label' : 'Annotate'}${changes}`;
      if (cmd.verb === 'scale' && cmd.flags.replicas === 0)
        warnings.push('Scaling to 0 stops every pod of the workload.');
    }
  }
  return { message: `${action} ${where}${dry}:\n${listed(objects)}`, objects, warnings };
}

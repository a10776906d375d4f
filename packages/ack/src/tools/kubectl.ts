import { OpsError, scrubSecrets } from '@opsmcp/core';
import { z } from 'zod';
import { displayArgv, type KubectlCommand, parseCommand } from '../kubernetes/command.js';
import { maskSecrets } from '../kubernetes/mask.js';
import { type AckToolContext, ackTool } from './context.js';

const commandSchema = z
  .string()
  .min(1)
  .max(5000)
  .describe(
    'One kubectl command, with or without the leading "kubectl", e.g. "get pods -n shop -o wide", "logs deploy/web --tail 200", "describe node n1". No shell: pipes, ";", "&&", redirections and $(…) are refused.',
  );
const clusterIdSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/)
  .optional()
  .describe(
    'ACK cluster id (c + 32 characters); in LOCAL mode a kubeconfig context. Default: DEFAULT_CLUSTER_ID (LOCAL: the current context)',
  );
const manifestSchema = z
  .string()
  .min(1)
  .max(1_000_000)
  .optional()
  .describe('For apply and create only: the objects as YAML or JSON (several documents separated by ---, or a List)');

const outputSchema = z.object({
  command: z.string().describe('The command as understood (argv joined)'),
  cluster_id: z.string().describe('The cluster (or context) the command ran against'),
  output: z.string().describe('What kubectl would print: a table, YAML, JSON, a log, messages'),
  items: z
    .array(z.record(z.string(), z.unknown()))
    .optional()
    .describe('The objects (for -o json|yaml|jsonpath|name and write verbs), Secret data masked unless allowed'),
  truncated: z.boolean().describe('True when the answer is incomplete (a list page, a log tail)'),
  continue: z
    .string()
    .optional()
    .describe('Continue token: run the same get with --continue=<token> for the next page'),
  notes: z.array(z.string()).describe('What was bounded, skipped or approximated, and how to get the rest'),
});

type KubectlOutput = z.infer<typeof outputSchema>;

/** The kubeconfig credentials of the call, for scrubbing (core scrubs only the cloud keys it knows). */
const callSecrets = new WeakMap<object, readonly string[]>();

function formatOutput(out: KubectlOutput): string {
  const parts = [out.output];
  if (out.notes.length) parts.push(out.notes.map((n) => `Note: ${n}`).join('\n'));
  return parts.filter(Boolean).join('\n\n') || '(no output)';
}

function redactOutput(out: KubectlOutput, ctx: AckToolContext): KubectlOutput {
  let result = out;
  if (!ctx.settings.allowSecretData && out.items)
    result = { ...out, items: maskSecrets(out.items) as KubectlOutput['items'] };
  const secrets = callSecrets.get(ctx.signal);
  return secrets?.length ? scrubSecrets(result, secrets) : result;
}

async function runKubectl(
  cmd: KubectlCommand,
  args: { cluster_id?: string | undefined; manifest?: string | undefined },
  ctx: AckToolContext,
): Promise<KubectlOutput> {
  const k8s = await import('../kubernetes/index.js');
  const kube = await ctx.clients.kube(args.cluster_id);
  callSecrets.set(ctx.signal, kube.connection.secrets);
  // One command may take KUBECTL_TIMEOUT seconds in all; drain and a waiting rollout status
  // have their own --timeout (bounded by the tool's timeout).
  const waits = cmd.verb === 'drain' || (cmd.verb === 'rollout' && cmd.sub === 'status' && cmd.flags.timeoutSeconds);
  const commandLimit = waits ? undefined : AbortSignal.timeout(ctx.settings.kubectlTimeout * 1000);
  const signal = commandLimit ? AbortSignal.any([ctx.signal, commandLimit]) : ctx.signal;
  const execContext = {
    api: new k8s.KubeApi(kube.connection, {
      signal,
      timeoutMs: ctx.settings.kubectlTimeout * 1000,
      maxRetries: ctx.settings.maxRetries,
    }),
    discovery: () => kube.discovery(),
    settings: {
      listMaxItems: ctx.settings.listMaxItems,
      logMaxLines: ctx.settings.logMaxLines,
      logMaxBytes: ctx.settings.logMaxBytes,
      allowSecretData: ctx.settings.allowSecretData,
      // Leave the tool's own timeout a few seconds to answer.
      maxWaitSeconds: Math.max(1, Math.floor((ctx.deadline - Date.now()) / 1000) - 5),
    },
    progress: (p: number, total?: number, message?: string) => ctx.progress(p, total, message),
  };
  try {
    const result = await k8s.executeCommand(cmd, execContext, args.manifest);
    const out: KubectlOutput = {
      command: `kubectl ${displayArgv(cmd).join(' ')}`,
      cluster_id: kube.clusterId,
      output: result.output,
      truncated: result.truncated,
      notes: result.notes,
    };
    if (result.items) out.items = result.items as KubectlOutput['items'];
    if (result.continue) out.continue = result.continue;
    return scrubSecrets(out, kube.connection.secrets);
  } catch (error) {
    if (commandLimit?.aborted && !ctx.signal.aborted) {
      throw new OpsError(
        'TIMEOUT',
        `kubectl ${cmd.verb} took longer than KUBECTL_TIMEOUT (${ctx.settings.kubectlTimeout} s).`,
        {
          hint:
            cmd.access === 'read'
              ? 'Narrow the command (-n, -l, --limit, --tail) or raise KUBECTL_TIMEOUT.'
              : 'The change may be partly done: check with get before repeating it.',
        },
      );
    }
    if (error instanceof OpsError) {
      throw new OpsError(error.code, scrubSecrets(error.message, kube.connection.secrets), {
        ...(error.hint ? { hint: error.hint } : {}),
        ...(error.upstream ? { upstream: error.upstream } : {}),
        retryable: error.retryable,
      });
    }
    throw error;
  }
}

export const kubectl = ackTool({
  name: 'kubectl',
  title: 'kubectl (read)',
  description:
    'Runs one read-only kubectl command against an ACK cluster, without a kubectl binary or shell: get (table, -o wide|name|json|yaml|jsonpath=…, -l, --field-selector, -A, --show-labels; lists are bounded and give a --continue token), describe, logs (--tail, --since, -c, --previous; bounded to the newest lines), events (--for, --types), top pods|nodes, api-resources, api-versions, version, cluster-info, explain, rollout status|history. ' +
    'Secret data is masked. Changes (apply, create, scale, rollout restart|undo, label, annotate, patch, cordon, uncordon, delete, drain) go through kubectl_write, listed only when the server runs with --allow-write. exec, port-forward, cp, edit, proxy, config, watch and files (-f) are refused.',
  access: 'read',
  input: z.object({ command: commandSchema, cluster_id: clusterIdSchema }),
  output: outputSchema,
  format: formatOutput,
  redact: redactOutput,
  handler: async (args, ctx) => {
    const cmd = parseCommand(args.command);
    if (cmd.access !== 'read') {
      throw new OpsError(
        'WRITE_DISABLED',
        `kubectl ${cmd.verb}${cmd.sub ? ` ${cmd.sub}` : ''} changes the cluster; the kubectl tool only reads.`,
        {
          hint: 'Use the kubectl_write tool (listed when the server runs with --allow-write / MCP_ALLOW_WRITE=true); it shows the objects it will change and asks for confirmation.',
        },
      );
    }
    return runKubectl(cmd, args, ctx);
  },
});

export const kubectlWrite = ackTool({
  name: 'kubectl_write',
  title: 'kubectl (change)',
  description:
    'Runs one kubectl command that changes an ACK cluster: apply (server-side apply, field manager opsmcp; objects in manifest), create (manifest), scale --replicas, rollout restart|undo, label, annotate, patch (--type strategic|merge|json), cordon, uncordon, and the destructive delete and drain (cordon, then evict through the Eviction API honouring PodDisruptionBudgets, --timeout). ' +
    'Every call first shows a plan naming each object it will change and asks the user to confirm; delete and drain are destructive. --dry-run=server validates without storing. Read commands belong to the kubectl tool.',
  access: 'destructive',
  // drain and rollout waits (--timeout) may take minutes; the call's own limit leaves them room.
  timeoutMs: (settings) => Math.max(settings.toolTimeoutMs, 600_000),
  input: z.object({ command: commandSchema, cluster_id: clusterIdSchema, manifest: manifestSchema }),
  output: outputSchema,
  format: formatOutput,
  redact: redactOutput,
  confirm: async (args, ctx) => {
    const cmd = parseWriteCommand(args.command);
    const k8s = await import('../kubernetes/index.js');
    const kube = await ctx.clients.kube(args.cluster_id);
    const plan = await k8s.planChange(
      cmd,
      {
        api: kube.api,
        discovery: () => kube.discovery(),
        settings: {
          listMaxItems: ctx.settings.listMaxItems,
          logMaxLines: ctx.settings.logMaxLines,
          logMaxBytes: ctx.settings.logMaxBytes,
          allowSecretData: ctx.settings.allowSecretData,
          maxWaitSeconds: 0,
        },
      },
      args.manifest,
      kube.clusterId,
    );
    return {
      message: plan.message,
      details: {
        command: `kubectl ${displayArgv(cmd).join(' ')}`,
        cluster: kube.clusterId,
        objects: plan.objects.length,
        destructive: cmd.access === 'destructive',
      },
      warnings: plan.warnings,
    };
  },
  handler: async (args, ctx) => runKubectl(parseWriteCommand(args.command), args, ctx),
});

function parseWriteCommand(command: string): KubectlCommand {
  const cmd = parseCommand(command);
  if (cmd.access === 'read') {
    throw new OpsError('INVALID_ARGUMENT', `kubectl ${cmd.verb} only reads: use the kubectl tool for it.`);
  }
  return cmd;
}

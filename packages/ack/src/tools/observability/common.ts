import { OpsError } from '@opsmcp/core';
import { z } from 'zod';
import type { ObservabilityClients } from '../../observability/clients.js';
import { TIME_HINT, TIME_PATTERN } from '../../observability/time.js';
import { ClusterId } from '../clusters/common.js';
import type { AckToolContext } from '../context.js';

export { ClusterId };

export const TimeText = z
  .string()
  .trim()
  .regex(TIME_PATTERN, `not a time. ${TIME_HINT}`)
  .describe('RFC 3339 (2025-11-03T10:00:00+08:00), unix seconds, now, or an age before now: 30m, 2h, 7d');

/** SLS project and logstore names: lowercase letters, digits, `-` and `_`. */
export const LogstoreName = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9_-]*[a-z0-9]$/, 'a logstore name is 2–63 lowercase letters, digits, "-" or "_"')
  .describe("SLS logstore in the cluster's project k8s-log-<cluster_id> (default k8s-event)");

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The SLS log project ACK creates for a cluster's events and logs. */
export const clusterLogProject = (clusterId: string) => `k8s-log-${clusterId}`;

/** The logs and metrics clients of a call. */
export function observability(ctx: AckToolContext): Promise<ObservabilityClients> {
  if (!ctx.clients.observability)
    throw new OpsError('INTERNAL', 'This server was built without the logs and metrics clients.');
  return ctx.clients.observability();
}

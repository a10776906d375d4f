import { z } from 'zod';
import { ackTool } from '../context.js';

export const getCurrentTime = ackTool({
  name: 'get_current_time',
  title: 'Current time',
  description:
    "The server's current time (ISO 8601 UTC and unix seconds) and its time zone, to build time ranges for the log and metric tools.",
  access: 'read',
  input: z.object({}),
  output: z.object({
    current_time_iso: z.string(),
    current_time_unix: z.number().int(),
    timezone: z.string(),
  }),
  async handler() {
    const now = new Date();
    return {
      current_time_iso: now.toISOString(),
      current_time_unix: Math.floor(now.getTime() / 1000),
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    };
  },
});

import { currentRequestContext } from './context.js';
import { OpsError } from './errors.js';
import { cancellationError, sleep, untilAborted } from './http-client.js';

/**
 * Waits for a long-running upstream operation (a diagnosis, a cluster upgrade, a droplet
 * action) that was created by an earlier call: checks its status at an interval, reports
 * progress after each check and gives up at a deadline without pretending the operation failed.
 */

export interface PollOptions<T> {
  /** Names the operation in messages, e.g. 'diagnosis d-123'. */
  what: string;
  /** One status read. Its errors end the polling as they are. */
  check: () => Promise<T>;
  /** True once the operation finished, successfully or not: the caller inspects the value. */
  done: (value: T) => boolean;
  /** Time between checks; at least `MIN_POLL_INTERVAL_MS`. */
  intervalMs: number;
  /** Total budget; a last check runs at the deadline before giving up. */
  deadlineMs: number;
  /** The tool call's signal: aborting it stops the waiting at once. */
  signal?: AbortSignal;
  /** Called after each check (best effort: its failures do not stop the polling). */
  progress?: (step: number, message: string) => Promise<void> | void;
  /** A short status of one check's value for progress and messages, e.g. 'running, stage 2/5'. */
  describe?: (value: T) => string;
  /** How to look the operation up later, e.g. "call ack_get_diagnosis with id 'd-123'". */
  lookupHint?: string;
}

/** Polling faster than this only loads the upstream API. */
export const MIN_POLL_INTERVAL_MS = 100;

/** Checks until `done` says finished and returns that value; throws TIMEOUT past the deadline. */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const { what, signal } = options;
  const intervalMs = Math.max(MIN_POLL_INTERVAL_MS, options.intervalMs);
  const started = Date.now();
  const deadline = started + Math.max(0, options.deadlineMs);
  const cancelled = () =>
    cancellationError(signal!, `Stopped waiting for ${what}: the call was cancelled. ${STILL_RUNS}`);

  for (let step = 1; ; step++) {
    if (signal?.aborted) throw cancelled();
    const value = await untilAborted(options.check(), signal, cancelled);
    const finished = options.done(value);
    const status = options.describe?.(value) ?? (finished ? 'finished' : 'not finished yet');
    await report(options, step, status);
    if (finished) return value;

    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const seconds = formatSeconds(Date.now() - started);
      throw new OpsError(
        'TIMEOUT',
        `${what} is still running after ${seconds} s (last status: ${status}). ${STILL_RUNS}`,
        {
          retryable: false,
          hint: options.lookupHint
            ? `Do not start it again; check on it later: ${options.lookupHint}.`
            : `Do not start it again; check its status later by its identifier.`,
        },
      );
    }
    try {
      await sleep(Math.min(intervalMs, remaining), signal);
    } catch {
      throw cancelled();
    }
  }
}

const STILL_RUNS = 'The operation itself keeps running upstream.';

async function report<T>(options: PollOptions<T>, step: number, message: string): Promise<void> {
  if (!options.progress) return;
  try {
    await options.progress(step, message);
  } catch (error) {
    // A lost progress notification must not abandon an operation that is still running.
    currentRequestContext()?.log.debug('progress report failed', {
      what: options.what,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}

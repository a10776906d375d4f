import { describe, expect, it } from 'vitest';
import { OpsError } from '../src/errors.js';
import { pollUntil } from '../src/poll.js';

interface Status {
  state: 'running' | 'succeeded' | 'failed';
  stage: number;
}

/** A status source that answers `states` in turn (the last one repeatedly) and records when it was asked. */
function statuses(...states: Status['state'][]) {
  const calls: number[] = [];
  const started = Date.now();
  return {
    calls,
    check: async (): Promise<Status> => {
      calls.push(Date.now() - started);
      const i = Math.min(calls.length - 1, states.length - 1);
      return { state: states[i]!, stage: calls.length };
    },
  };
}

const finished = (s: Status) => s.state !== 'running';
const describeStatus = (s: Status) => `${s.state}, stage ${s.stage}`;

async function failure(promise: Promise<unknown>): Promise<OpsError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OpsError);
    return error as OpsError;
  }
  throw new Error('expected polling to fail');
}

describe('pollUntil', () => {
  it('checks at once, then every interval, until done; reports progress after each check', async () => {
    const source = statuses('running', 'running', 'succeeded');
    const progress: [number, string][] = [];
    const value = await pollUntil({
      what: 'diagnosis d-1',
      check: source.check,
      done: finished,
      intervalMs: 100,
      deadlineMs: 5_000,
      describe: describeStatus,
      progress: (step, message) => {
        progress.push([step, message]);
      },
    });
    expect(value).toEqual({ state: 'succeeded', stage: 3 });
    expect(progress).toEqual([
      [1, 'running, stage 1'],
      [2, 'running, stage 2'],
      [3, 'succeeded, stage 3'],
    ]);
    expect(source.calls[0]).toBeLessThan(50);
    expect(source.calls[1]).toBeGreaterThanOrEqual(95);
    expect(source.calls[2]).toBeGreaterThanOrEqual(195);
  });

  it('returns a failed operation’s value too: the caller judges it', async () => {
    const source = statuses('failed');
    const value = await pollUntil({
      what: 'x',
      check: source.check,
      done: finished,
      intervalMs: 100,
      deadlineMs: 1_000,
    });
    expect(value.state).toBe('failed');
    expect(source.calls).toHaveLength(1);
  });

  it('bounds the interval below', async () => {
    const source = statuses('running', 'running', 'succeeded');
    await pollUntil({ what: 'x', check: source.check, done: finished, intervalMs: 1, deadlineMs: 5_000 });
    expect(source.calls[2]! - source.calls[0]!).toBeGreaterThanOrEqual(190);
  });

  it('gives up at the deadline with TIMEOUT naming the operation, after a last check', async () => {
    const source = statuses('running');
    const started = Date.now();
    const error = await failure(
      pollUntil({
        what: 'diagnosis d-123',
        check: source.check,
        done: finished,
        intervalMs: 100,
        deadlineMs: 250,
        describe: describeStatus,
        lookupHint: "call ack_get_diagnosis with id 'd-123'",
      }),
    );
    const elapsed = Date.now() - started;
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^diagnosis d-123 is still running after 0\.\d s/);
    expect(error.message).toContain('running, stage 4');
    expect(error.message).toContain('keeps running upstream');
    expect(error.hint).toContain("ack_get_diagnosis with id 'd-123'");
    // Checks at 0, 100, 200 and the last one at the deadline.
    expect(source.calls).toHaveLength(4);
    expect(source.calls[3]).toBeGreaterThanOrEqual(245);
    expect(elapsed).toBeLessThan(400);
  });

  it('stops a pending sleep as soon as the caller aborts', async () => {
    const source = statuses('running');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await failure(
      pollUntil({
        what: 'upgrade u-1',
        check: source.check,
        done: finished,
        intervalMs: 5_000,
        deadlineMs: 60_000,
        signal: controller.signal,
      }),
    );
    expect(Date.now() - started).toBeLessThan(150);
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toContain('upgrade u-1');
    expect(source.calls).toHaveLength(1);
  });

  it('rethrows an OpsError abort reason, even while a check is pending', async () => {
    const controller = new AbortController();
    const reason = new OpsError('TIMEOUT', 'tool did not finish within 50 ms.');
    setTimeout(() => controller.abort(reason), 50);
    const started = Date.now();
    const error = await failure(
      pollUntil({
        what: 'x',
        check: () => new Promise<Status>(() => {}),
        done: finished,
        intervalMs: 100,
        deadlineMs: 60_000,
        signal: controller.signal,
      }),
    );
    expect(Date.now() - started).toBeLessThan(150);
    expect(error).toBe(reason);
  });

  it('does not check at all when the caller has already aborted', async () => {
    const source = statuses('running');
    const error = await failure(
      pollUntil({
        what: 'x',
        check: source.check,
        done: finished,
        intervalMs: 100,
        deadlineMs: 1_000,
        signal: AbortSignal.abort(),
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(source.calls).toHaveLength(0);
  });

  it('propagates an error thrown by a check as it is', async () => {
    const thrown = new OpsError('RESOURCE_NOT_FOUND', 'diagnosis d-9 does not exist.');
    let calls = 0;
    const error = await failure(
      pollUntil({
        what: 'diagnosis d-9',
        check: async () => {
          calls++;
          if (calls === 2) throw thrown;
          return { state: 'running', stage: calls } as Status;
        },
        done: finished,
        intervalMs: 100,
        deadlineMs: 5_000,
      }),
    );
    expect(error).toBe(thrown);
    expect(calls).toBe(2);
  });

  it('keeps polling when a progress report fails', async () => {
    const source = statuses('running', 'succeeded');
    const value = await pollUntil({
      what: 'x',
      check: source.check,
      done: finished,
      intervalMs: 100,
      deadlineMs: 5_000,
      progress: async () => {
        throw new Error('client went away');
      },
    });
    expect(value.state).toBe('succeeded');
  });
});

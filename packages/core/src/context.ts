import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './log.js';
import type { RequestInfo } from './tool.js';

/** What every piece of code running for one tool call can reach without threading it through. */
export interface RequestContext {
  request: RequestInfo;
  log: Logger;
  signal: AbortSignal;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current request context (one per tool call). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the tool call this code runs for, or undefined outside one. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

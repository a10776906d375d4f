import type { ServerRuntime } from '../runtime.js';
import type { HttpHandle } from './server.js';

export type { HttpHandle } from './server.js';

/**
 * Serves a runtime over HTTP. The HTTP transports (and what they import) load only here, so a
 * stdio server never pays for them at startup.
 */
export async function serveHttp(runtime: ServerRuntime): Promise<HttpHandle> {
  const http = await import('./server.js');
  return http.serveHttp(runtime);
}

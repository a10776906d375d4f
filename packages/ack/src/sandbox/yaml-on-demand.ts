import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/**
 * The YAML library for the fakes, loaded by the first request that needs it (a kubeconfig, a
 * server-side apply) rather than when the sandbox starts: `--sandbox` starts faster.
 */
export async function loadYaml(): Promise<typeof Yaml> {
  loaded ??= await import('yaml');
  return loaded;
}

/** The library `loadYaml()` loaded; a request handler that needs it awaits that first. */
export function loadedYaml(): typeof Yaml {
  if (!loaded) throw new Error('the YAML library is not loaded: await loadYaml() before handling this request');
  return loaded;
}

import { settingsSpecOf } from '../config.js';
import type { AnyServerDefinition } from '../definition.js';

/**
 * Checks that a package README names every tool, every setting's flag and every env name
 * (core's included): a setting or tool users cannot read about does not exist for them.
 * Throws an Error listing what is missing.
 */
export function expectReadmeCoversServer(definition: AnyServerDefinition, readme: string): void {
  const missing: string[] = [];
  for (const tool of definition.tools) if (!readme.includes(tool.name)) missing.push(`tool ${tool.name}`);
  for (const [key, spec] of Object.entries(settingsSpecOf(definition))) {
    if (!readme.includes(`--${spec.flag}`)) missing.push(`flag --${spec.flag} (${key})`);
    for (const env of spec.env) if (!readme.includes(env)) missing.push(`env ${env} (${key})`);
  }
  if (missing.length > 0) throw new Error(`README does not document:\n  ${missing.join('\n  ')}`);
}

import { z } from 'zod';

/**
 * A setting: one typed value with its CLI flag, its env names (the first is the canonical one,
 * the rest are aliases such as the names of the server a package replaces), its default and a one-line description.
 * Values from the CLI, env and .env arrive as strings; `schema` coerces and validates them.
 */
export interface SettingSpec<T = unknown> {
  schema: z.ZodType<T>;
  /** Long flag without the dashes, e.g. `sr-host` for `--sr-host`. */
  flag: string;
  env: readonly string[];
  default?: T;
  description: string;
  /** Redacted in --print-config, logs and errors. */
  secret?: boolean;
  /** A boolean flag that takes no value (`--allow-write`). */
  switch?: boolean;
  /** Shown in --help in place of the type, e.g. `stdio|http|sse`. */
  valueName?: string;
}

export type SettingsSpec = Record<string, SettingSpec>;

export type SettingsOf<S extends SettingsSpec> = {
  [K in keyof S]: S[K] extends SettingSpec<infer T> ? (S[K]['default'] extends undefined ? T | undefined : T) : never;
};

export function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

/** Common value parsers for settings that arrive as strings. */
export const parse = {
  boolean: () =>
    z.preprocess((value) => {
      if (typeof value !== 'string') return value;
      const v = value.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off', ''].includes(v)) return false;
      return value;
    }, z.boolean()),
  integer: (min: number, max: number) =>
    z.preprocess(
      (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
      z.number().int().min(min).max(max),
    ),
  /** Comma-separated list; empty entries are dropped. */
  list: () =>
    z.preprocess(
      (value) =>
        typeof value === 'string'
          ? value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : value,
      z.array(z.string()),
    ),
  string: () => z.string().trim().min(1),
};

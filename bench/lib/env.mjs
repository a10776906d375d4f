/**
 * Environment for every process the benchmark starts: no cloud metadata lookups. Servers keep
 * their default log level, so the per-call log line users pay for is part of every figure.
 */
export const BENCH_ENV = {
  AWS_EC2_METADATA_DISABLED: 'true',
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * A child's whole environment: only what node needs from the caller's (no stray credentials or
 * settings reach the servers), the benchmark's, then `extra`.
 */
export function childEnv(extra = {}) {
  const env = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    if (process.env[name]) env[name] = process.env[name];
  }
  return { ...env, ...BENCH_ENV, ...extra };
}

/** A positive number from the environment, or the default. */
export function envNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** A comma-separated list from the environment (empty when unset). */
export function envList(name) {
  return (process.env[name] ?? '').split(',').filter(Boolean);
}

/** A positive number from the environment, or undefined when unset. */
export function envOptionalNumber(name) {
  return process.env[name] ? envNumber(name, undefined) : undefined;
}

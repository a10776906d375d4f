import { readFileSync, type StatWatcher, statSync, unwatchFile, watchFile } from 'node:fs';
import { ConfigError, type Logger, TENANT_ID_PATTERN } from '@opsmcp/core';
import { z } from 'zod';

const agentUrl = z
  .string()
  .url('must be a URL such as http://10.0.1.50:8080')
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must start with http:// or https://')
  .refine((u) => !new URL(u).username && !new URL(u).password, 'must not carry a user or password');

const tenantSchema = z
  .object({
    name: z.string().trim().min(1, 'is required'),
    agent_url: agentUrl,
    agent_token: z.string().min(32, 'must be at least 32 characters (the agent refuses shorter ones)'),
    enabled: z.boolean().default(true),
    description: z.string().optional(),
    /**
     * SHA-256 (hex) of the API keys that may act for this tenant. Without it any key of the
     * server that is bound to no tenant may; with it, only these keys, which then act for no
     * other tenant and cannot read /tenants or /admin/stats.
     */
    api_key_sha256: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .pipe(z.array(z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (sha256 of a key)')).min(1))
      .optional(),
  })
  .loose();

const fileSchema = z.object({
  tenants: z.record(z.string(), z.unknown()),
});

export interface Tenant {
  id: string;
  name: string;
  agentUrl: string;
  agentToken: string;
  enabled: boolean;
  description?: string;
  /** Lower-case hex digests; undefined when any key of the server may act for the tenant. */
  apiKeySha256?: string[];
}

/** What the tenants file said, checked; errors name the file, the tenant and the field. */
export function parseTenantsFile(text: string, path: string): Map<string, Tenant> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Tenants file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const file = fileSchema.safeParse(json);
  if (!file.success) {
    throw new ConfigError(`Tenants file ${path} must be a JSON object {"tenants": {"<id>": {…}}}.`);
  }
  const tenants = new Map<string, Tenant>();
  const problems: string[] = [];
  for (const [id, raw] of Object.entries(file.data.tenants)) {
    if (!TENANT_ID_PATTERN.test(id)) {
      problems.push(`tenant "${id.slice(0, 40)}": the id must be 1–128 letters, digits, ".", "_", ":" or "-"`);
      continue;
    }
    const parsed = tenantSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.') || '(entry)';
        // Never quote a token back, even a wrong one.
        problems.push(
          `tenant ${id}: ${field} ${issue.code === 'invalid_type' ? `is ${issue.message.toLowerCase()}` : issue.message}`,
        );
      }
      continue;
    }
    const t = parsed.data;
    tenants.set(id, {
      id,
      name: t.name,
      agentUrl: t.agent_url.replace(/\/+$/, ''),
      agentToken: t.agent_token,
      enabled: t.enabled,
      ...(t.description ? { description: t.description } : {}),
      ...(t.api_key_sha256 ? { apiKeySha256: t.api_key_sha256.map((h) => h.toLowerCase()) } : {}),
    });
  }
  if (problems.length > 0) throw new ConfigError(`Tenants file ${path}: ${problems.join('; ')}.`);
  return tenants;
}

export function readTenantsFile(path: string): Map<string, Tenant> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the tenants file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return parseTenantsFile(text, path);
}

/** One tenant's counters since the server started, as /admin/stats shows them. */
export interface TenantStats {
  requests: number;
  errors: number;
  agent_round_trips: number;
  statements: number;
  last_call_at: string | null;
}

/**
 * The tenants of a remote-mode server: read at startup (a broken file stops it), read again on
 * SIGHUP and when the file changes (a broken new file keeps the tenants in force and says why),
 * and the per-tenant counters.
 */
export class TenantRegistry {
  private tenants: Map<string, Tenant>;
  private readonly stats = new Map<string, TenantStats>();
  private readonly onHangup = () => this.reload('SIGHUP');
  private readonly onChange = (current: { mtimeMs: number }, previous: { mtimeMs: number }) => {
    if (current.mtimeMs !== previous.mtimeMs) this.reload('file changed');
  };
  private watcher: StatWatcher | undefined;

  constructor(
    readonly path: string,
    private readonly log: Logger,
    watchIntervalMs: number,
  ) {
    this.tenants = readTenantsFile(path);
    const enabled = [...this.tenants.values()].filter((t) => t.enabled).length;
    log.info('tenants loaded', { file: path, tenants: this.tenants.size, enabled });
    // It holds every agent's token.
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      log.warn('the tenants file is readable by other users of this machine; run chmod 600 on it', { file: path });
    }
    // Polling the file's stat also follows a symlink swapped underneath (a mounted ConfigMap).
    this.watcher = watchFile(path, { interval: watchIntervalMs, persistent: false }, this.onChange);
    process.on('SIGHUP', this.onHangup);
  }

  /** Reads the file again; keeps the tenants in force when the new file is broken. */
  reload(reason: string): boolean {
    let next: Map<string, Tenant>;
    try {
      next = readTenantsFile(this.path);
    } catch (error) {
      this.log.error('tenants file not reloaded; the previous tenants stay in force', {
        reason,
        error: (error as Error).message,
      });
      return false;
    }
    const added = [...next.keys()].filter((id) => !this.tenants.has(id));
    const removed = [...this.tenants.keys()].filter((id) => !next.has(id));
    const disabled = [...next.values()].filter((t) => !t.enabled && this.tenants.get(t.id)?.enabled !== false);
    this.tenants = next;
    this.log.info('tenants reloaded', {
      reason,
      tenants: next.size,
      added,
      removed,
      disabled: disabled.map((t) => t.id),
    });
    return true;
  }

  /** The tenant, when it is configured and enabled. */
  enabled(id: string | undefined): Tenant | undefined {
    const tenant = id ? this.tenants.get(id) : undefined;
    return tenant?.enabled ? tenant : undefined;
  }

  list(): Tenant[] {
    return [...this.tenants.values()];
  }

  /**
   * Whether the API key (its sha256, as core reports it) may act for the tenant: a tenant that
   * names keys takes only those; one that names none takes any key of the server except the keys
   * bound to other tenants.
   */
  keyAllowed(tenant: Tenant, apiKeySha256: string | undefined): boolean {
    if (!tenant.apiKeySha256) return !this.isTenantKey(apiKeySha256);
    return apiKeySha256 !== undefined && tenant.apiKeySha256.includes(apiKeySha256);
  }

  /** Whether the API key (its sha256) belongs to some tenant (such keys do not see other tenants' data). */
  isTenantKey(apiKeySha256: string | undefined): boolean {
    return apiKeySha256 !== undefined && this.list().some((t) => t.apiKeySha256?.includes(apiKeySha256));
  }

  statsOf(id: string): TenantStats {
    let entry = this.stats.get(id);
    if (!entry) {
      entry = { requests: 0, errors: 0, agent_round_trips: 0, statements: 0, last_call_at: null };
      this.stats.set(id, entry);
    }
    return entry;
  }

  close(): void {
    if (this.watcher) unwatchFile(this.path, this.onChange);
    this.watcher = undefined;
    process.off('SIGHUP', this.onHangup);
  }
}

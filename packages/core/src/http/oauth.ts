import { createHash } from 'node:crypto';
import type { CheckResult } from '../definition.js';
import type { Logger } from '../log.js';
import type { Principal } from './auth-principal.js';

/**
 * Signature algorithms a token may use. Asymmetric only: `none` is never accepted, and an HMAC
 * algorithm would let anyone holding the public key (it is public) sign tokens.
 */
export const ACCEPTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/** How far the clocks of this server and the authorization server may disagree (exp, nbf). */
export const CLOCK_SKEW_SECONDS = 30;
/** Every fetch to the authorization server (metadata, keys, introspection) is bounded by this. */
export const OAUTH_FETCH_TIMEOUT_MS = 5_000;
/** A token with an unknown `kid` refetches the keys, at most once per this interval. */
export const JWKS_COOLDOWN_MS = 30_000;
/** Keys are refetched at least this often, so a key the issuer removed stops working. */
export const JWKS_MAX_AGE_MS = 300_000;
/** After a failed metadata fetch, the next request tries again only after this. */
const METADATA_RETRY_MS = 10_000;
/** Introspection answers are reused this long (never past the token's expiry). */
const INTROSPECTION_CACHE_MS = 60_000;
const INTROSPECTION_NEGATIVE_CACHE_MS = 10_000;
const INTROSPECTION_CACHE_LIMIT = 10_000;

/** The OAuth settings of a server, checked by `validateAuthSettings`. */
export interface OAuthSettings {
  issuer: string;
  audience: string;
  jwksUrl?: string | undefined;
  introspectionUrl?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  readScope: string;
  writeScope: string;
}

/** A token that was presented and is not acceptable (401 invalid_token). The text never holds the token. */
export class TokenRejected extends Error {
  readonly description: string;
  constructor(description: string) {
    super(description);
    this.name = 'TokenRejected';
    this.description = description;
  }
}

/** The authorization server could not be asked (503): the token may well be good. */
export class AuthorizationServerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizationServerUnavailable';
  }
}

export interface VerifiedToken {
  principal: Principal;
  /** Seconds since the epoch. */
  expiresAt?: number;
}

interface AuthorizationServerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
}

type Jose = typeof import('jose');
type KeySet = ReturnType<Jose['createRemoteJWKSet']>;

/** `https://idp/realms/x` → the RFC 8414 URL first, then the two OpenID discovery forms. */
export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const urls = [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
  if (path) urls.push(`${url.origin}/.well-known/openid-configuration${path}`);
  return urls;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function scopesOf(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === 'string') return raw.split(/\s+/).filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

function principalOfClaims(claims: Record<string, unknown>): Principal {
  const clientId = [claims.client_id, claims.azp, claims.appid].find((v): v is string => typeof v === 'string');
  const subject = [claims.sub, clientId].find((v): v is string => typeof v === 'string' && v !== '');
  if (!subject) throw new TokenRejected('the token names no subject (sub) or client');
  return { subject, scopes: scopesOf(claims), via: 'oauth', ...(clientId ? { clientId } : {}) };
}

const audiencesOf = (aud: unknown): string[] =>
  typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** GET/POST to exactly the given URL: redirects are refused, the time is bounded. */
async function fetchBounded(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(OAUTH_FETCH_TIMEOUT_MS) });
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${OAUTH_FETCH_TIMEOUT_MS} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

/**
 * Validates access tokens for one resource: JWTs against the issuer's keys (fetched from its
 * metadata, cached, refetched on an unknown key id), opaque tokens by introspection. Only the
 * configured issuer, its metadata's jwks_uri (or the configured JWKS URL) and the configured
 * introspection URL are ever contacted.
 */
export class OAuthVerifier {
  readonly settings: OAuthSettings;
  private readonly log: Logger;
  private jose: Promise<Jose> | undefined;
  private metadataPromise: Promise<AuthorizationServerMetadata> | undefined;
  private metadataFailedAt = 0;
  private keys: KeySet | undefined;
  private readonly introspected = new Map<string, { token: VerifiedToken | TokenRejected; until: number }>();

  constructor(settings: OAuthSettings, log: Logger) {
    this.settings = settings;
    this.log = log;
  }

  /** Fetches the metadata and keys ahead of the first request; failures are logged, not thrown. */
  warm(): void {
    if (this.settings.jwksUrl) return;
    this.metadata().catch((error: unknown) => {
      this.log.warn('the OAuth authorization server metadata could not be fetched yet', {
        issuer: this.settings.issuer,
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }

  async verify(token: string): Promise<VerifiedToken> {
    if (JWT_SHAPE.test(token)) return this.verifyJwt(token);
    if (this.settings.introspectionUrl) return this.introspect(token);
    throw new TokenRejected(
      'the token is not a JWT, and this server has no introspection endpoint for opaque tokens (MCP_OAUTH_INTROSPECTION_URL)',
    );
  }

  /** The issuer's RFC 8414 / OpenID metadata; its `issuer` must be exactly the configured one. */
  metadata(): Promise<AuthorizationServerMetadata> {
    if (this.metadataPromise) return this.metadataPromise;
    if (Date.now() - this.metadataFailedAt < METADATA_RETRY_MS) {
      return Promise.reject(
        new AuthorizationServerUnavailable(
          `the metadata of ${this.settings.issuer} could not be fetched a moment ago; retrying shortly`,
        ),
      );
    }
    const attempt = this.fetchMetadata();
    this.metadataPromise = attempt;
    attempt.catch(() => {
      this.metadataPromise = undefined;
      this.metadataFailedAt = Date.now();
    });
    return attempt;
  }

  private async fetchMetadata(): Promise<AuthorizationServerMetadata & { url: string }> {
    const problems: string[] = [];
    for (const url of discoveryUrls(this.settings.issuer)) {
      let response: Response;
      try {
        response = await fetchBounded(url, { headers: { accept: 'application/json' } });
      } catch (error) {
        problems.push(`${url}: ${reasonOf(error)}`);
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        problems.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      let document: Partial<AuthorizationServerMetadata>;
      try {
        document = (await response.json()) as Partial<AuthorizationServerMetadata>;
      } catch {
        problems.push(`${url}: not JSON`);
        continue;
      }
      if (document.issuer !== this.settings.issuer) {
        // A document for another issuer must not be trusted; the usual cause is a trailing slash.
        throw new AuthorizationServerUnavailable(
          `${url} names the issuer ${JSON.stringify(document.issuer)}, not ${JSON.stringify(this.settings.issuer)}: set MCP_OAUTH_ISSUER to exactly the issuer its tokens carry`,
        );
      }
      return { ...(document as AuthorizationServerMetadata), url };
    }
    throw new AuthorizationServerUnavailable(
      `no authorization server metadata for ${this.settings.issuer} (${problems.join('; ')})`,
    );
  }

  /** The JWKS URL: the configured one, or the issuer metadata's jwks_uri. */
  async jwksUrl(): Promise<string> {
    if (this.settings.jwksUrl) return this.settings.jwksUrl;
    const metadata = await this.metadata();
    if (!metadata.jwks_uri) {
      throw new AuthorizationServerUnavailable(
        `the metadata of ${this.settings.issuer} names no jwks_uri: set MCP_OAUTH_JWKS_URL`,
      );
    }
    return metadata.jwks_uri;
  }

  private loadJose(): Promise<Jose> {
    this.jose ??= import('jose');
    return this.jose;
  }

  private async keySet(): Promise<KeySet> {
    if (this.keys) return this.keys;
    const [{ createRemoteJWKSet }, url] = await Promise.all([this.loadJose(), this.jwksUrl()]);
    this.keys ??= createRemoteJWKSet(new URL(url), {
      timeoutDuration: OAUTH_FETCH_TIMEOUT_MS,
      cooldownDuration: JWKS_COOLDOWN_MS,
      cacheMaxAge: JWKS_MAX_AGE_MS,
    });
    return this.keys;
  }

  private async verifyJwt(token: string): Promise<VerifiedToken> {
    const [jose, keys] = await Promise.all([this.loadJose(), this.keySet()]);
    try {
      const { payload } = await jose.jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: [...ACCEPTED_ALGORITHMS],
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp'],
      });
      return {
        principal: principalOfClaims(payload as Record<string, unknown>),
        ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
      };
    } catch (error) {
      throw this.jwtProblem(error);
    }
  }

  /** jose's failure as a reason a client can act on; never the token itself. */
  private jwtProblem(error: unknown): Error {
    if (error instanceof TokenRejected) return error;
    const code = (error as { code?: string } | null)?.code;
    const claim = (error as { claim?: string } | null)?.claim;
    switch (code) {
      case 'ERR_JWT_EXPIRED':
        return new TokenRejected('the token has expired');
      case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
        if (claim === 'aud')
          return new TokenRejected(`the token was issued for another resource, not ${this.settings.audience}`);
        if (claim === 'iss') return new TokenRejected(`the token was not issued by ${this.settings.issuer}`);
        if (claim === 'nbf') return new TokenRejected('the token is not valid yet (nbf)');
        if (claim === 'iat') return new TokenRejected('the token was issued in the future (iat)');
        return new TokenRejected(`the token's ${claim ?? 'claims'} claim is missing or not valid`);
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
      case 'ERR_JOSE_NOT_SUPPORTED':
        return new TokenRejected(
          `the token is not signed with an accepted algorithm (${ACCEPTED_ALGORITHMS.join(', ')})`,
        );
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return new TokenRejected('the token signature does not verify');
      case 'ERR_JWKS_NO_MATCHING_KEY':
      case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
        return new TokenRejected("no signing key of the issuer matches the token's key id (kid)");
      case 'ERR_JWS_INVALID':
      case 'ERR_JWT_INVALID':
        return new TokenRejected('the token is not a well-formed signed JWT');
      case 'ERR_JWKS_TIMEOUT':
        return new AuthorizationServerUnavailable(
          `the issuer's signing keys did not arrive within ${OAUTH_FETCH_TIMEOUT_MS} ms`,
        );
      case 'ERR_JWKS_INVALID':
      case 'ERR_JOSE_GENERIC':
        return new AuthorizationServerUnavailable(
          `the issuer's signing keys could not be fetched: ${(error as Error).message}`,
        );
      default:
        if (error instanceof TypeError) {
          return new AuthorizationServerUnavailable(
            `the issuer's signing keys could not be fetched: ${reasonOf(error)}`,
          );
        }
        this.log.debug('token refused', { error: error instanceof Error ? error.name : String(error) });
        return new TokenRejected('the token is not valid');
    }
  }

  /** RFC 7662: asks the introspection endpoint (client_secret_basic) whether an opaque token is active. */
  private async introspect(token: string): Promise<VerifiedToken> {
    const key = tokenHash(token);
    const now = Date.now();
    const cached = this.introspected.get(key);
    if (cached && cached.until > now) {
      if (cached.token instanceof TokenRejected) throw cached.token;
      return cached.token;
    }
    let outcome: VerifiedToken | TokenRejected;
    let until: number;
    try {
      const answer = await this.askIntrospection(token);
      outcome = this.introspectionOutcome(answer);
      const exp = typeof answer.exp === 'number' ? answer.exp * 1000 : Number.POSITIVE_INFINITY;
      until = Math.min(now + INTROSPECTION_CACHE_MS, exp);
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      outcome = error;
      until = now + INTROSPECTION_NEGATIVE_CACHE_MS;
    }
    if (this.introspected.size >= INTROSPECTION_CACHE_LIMIT) this.introspected.clear();
    this.introspected.set(key, { token: outcome, until });
    if (outcome instanceof TokenRejected) throw outcome;
    return outcome;
  }

  private async askIntrospection(token: string): Promise<Record<string, unknown>> {
    const url = this.settings.introspectionUrl as string;
    const id = encodeURIComponent(this.settings.clientId ?? '');
    const secret = encodeURIComponent(this.settings.clientSecret ?? '');
    let response: Response;
    try {
      response = await fetchBounded(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      });
    } catch (error) {
      throw new AuthorizationServerUnavailable(`the introspection endpoint did not answer: ${reasonOf(error)}`);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new AuthorizationServerUnavailable(
        response.status === 401
          ? "the introspection endpoint refused this server's client credentials (MCP_OAUTH_CLIENT_ID / MCP_OAUTH_CLIENT_SECRET)"
          : `the introspection endpoint answered HTTP ${response.status}`,
      );
    }
    try {
      return (await response.json()) as Record<string, unknown>;
    } catch {
      throw new AuthorizationServerUnavailable('the introspection endpoint answered something other than JSON');
    }
  }

  private introspectionOutcome(answer: Record<string, unknown>): VerifiedToken {
    if (answer.active !== true) throw new TokenRejected('the token is not active (expired, revoked or unknown)');
    if (answer.iss !== undefined && answer.iss !== this.settings.issuer) {
      throw new TokenRejected(`the token was not issued by ${this.settings.issuer}`);
    }
    if (!audiencesOf(answer.aud).includes(this.settings.audience)) {
      throw new TokenRejected(`the token was issued for another resource, not ${this.settings.audience}`);
    }
    const nowSeconds = Date.now() / 1000;
    if (typeof answer.exp === 'number' && answer.exp < nowSeconds - CLOCK_SKEW_SECONDS) {
      throw new TokenRejected('the token has expired');
    }
    if (typeof answer.nbf === 'number' && answer.nbf > nowSeconds + CLOCK_SKEW_SECONDS) {
      throw new TokenRejected('the token is not valid yet (nbf)');
    }
    const claims = { ...answer, sub: answer.sub ?? answer.username };
    return {
      principal: principalOfClaims(claims),
      ...(typeof answer.exp === 'number' ? { expiresAt: answer.exp } : {}),
    };
  }

  /** --check: the metadata, the signing keys and (when configured) the introspection client. */
  async check(): Promise<CheckResult> {
    const lines: string[] = [];
    let ok = true;
    try {
      if (this.settings.jwksUrl) {
        lines.push(`oauth: issuer ${this.settings.issuer}, signing keys from MCP_OAUTH_JWKS_URL`);
      } else {
        const metadata = (await this.metadata()) as AuthorizationServerMetadata & { url?: string };
        lines.push(`oauth: issuer ${this.settings.issuer}: metadata ok (${metadata.url ?? 'discovered'})`);
      }
      const url = await this.jwksUrl();
      const response = await fetchBounded(url, { headers: { accept: 'application/json' } });
      if (response.status !== 200) throw new AuthorizationServerUnavailable(`${url} answered HTTP ${response.status}`);
      const jwks = (await response.json()) as { keys?: Array<{ kid?: string; alg?: string; kty?: string }> };
      const keys = (jwks.keys ?? []).filter((k) => k.kty !== 'oct');
      if (keys.length === 0) throw new AuthorizationServerUnavailable(`${url} holds no public signing keys`);
      lines.push(`oauth: signing keys ok: ${keys.length} at ${url} (${keys.map((k) => k.kid ?? k.kty).join(', ')})`);
    } catch (error) {
      ok = false;
      lines.push(`oauth: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.settings.introspectionUrl) {
      try {
        // An unknown token must come back inactive: that proves the endpoint and our client credentials.
        const answer = await this.askIntrospection(`opsmcp-check-${Date.now()}`);
        if (answer.active !== false)
          throw new AuthorizationServerUnavailable('an unknown token was not reported inactive');
        lines.push(`oauth: introspection ok at ${this.settings.introspectionUrl}`);
      } catch (error) {
        ok = false;
        lines.push(`oauth: introspection FAILED: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    lines.push(
      `oauth: audience ${this.settings.audience}; scopes ${this.settings.readScope} (read), ${this.settings.writeScope} (write)`,
    );
    return { ok, lines };
  }
}

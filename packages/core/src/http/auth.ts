import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { AuthMode } from '../core-settings.js';
import type { Logger } from '../log.js';
import { authInfoOf, type Principal } from './auth-principal.js';
import { oauthSettingsOf, resourceMetadataUrl } from './auth-settings.js';
import { AuthorizationServerUnavailable, type OAuthSettings, OAuthVerifier, TokenRejected } from './oauth.js';
import { apiKeyMatches, presentedApiKey, type SecurityPolicy } from './security.js';

const hashOf = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 24);

/** The outcome of authenticating one HTTP request. */
export type AuthOutcome =
  | {
      ok: true;
      /** Whom the request is from, for binding sessions and counting slots ('' when nothing was checked). */
      identity: string;
      /** Attached to the request for the SDK (`extra.authInfo`), when a caller was identified. */
      authInfo?: AuthInfo;
      /** SHA-256 (hex) of the API key the request was let in with, for a server's own rules per key. */
      apiKeySha256?: string;
    }
  | { ok: false; status: number; headers: Record<string, string>; body: { error: string; message: string } };

export interface Authenticator {
  /** Whether tokens are checked (and the protected resource metadata is served). */
  oauth: OAuthSettings | undefined;
  authenticate(req: IncomingMessage): Promise<AuthOutcome>;
  /** The RFC 9728 document, when OAuth is on. */
  resourceMetadata(): Record<string, unknown> | undefined;
  /** Paths the metadata is served at: the root form and the path-suffixed form(s). */
  resourceMetadataPaths: readonly string[];
}

/** Quoted-string content for a WWW-Authenticate parameter. */
const quoted = (text: string) => text.replace(/["\\]/g, "'");

function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth.trim()) : null;
  return m ? (m[1] as string) : undefined;
}

export interface AuthenticatorOptions {
  modes: readonly AuthMode[];
  security: SecurityPolicy;
  serviceName: string;
  title: string;
  /** The oauth* settings, when `modes` includes oauth. */
  settings?: Parameters<typeof oauthSettingsOf>[0];
  log: Logger;
}

/**
 * The HTTP server's authentication: API keys (X-API-Key, or Authorization: Bearer when the header
 * is free), OAuth access tokens of one issuer for one audience, both, or none.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const modes = new Set(options.modes);
  const { security, serviceName, log } = options;
  const apiKeys = modes.has('api-key') ? security.apiKeys : [];
  const oauth = modes.has('oauth') && options.settings ? oauthSettingsOf(options.settings) : undefined;
  const verifier = oauth ? new OAuthVerifier(oauth, log) : undefined;
  verifier?.warm();
  const metadataUrl = oauth ? resourceMetadataUrl(oauth.audience) : '';
  const keyWhere = security.apiKeyHeaderOnly ? 'X-API-Key' : 'X-API-Key (or Authorization: Bearer <key>)';

  const resourceMetadataPaths = oauth
    ? [
        ...new Set([
          '/.well-known/oauth-protected-resource',
          '/.well-known/oauth-protected-resource/mcp',
          new URL(metadataUrl).pathname,
        ]),
      ]
    : [];

  const bearerChallenge = (params: Record<string, string> = {}) =>
    [
      `Bearer resource_metadata="${metadataUrl}"`,
      ...Object.entries(params).map(([k, v]) => `${k}="${quoted(v)}"`),
    ].join(', ');

  /** 401: no usable credentials; `description` says why a presented token was refused. */
  const refuse = (description?: string): AuthOutcome => {
    if (oauth) {
      const alsoKey = apiKeys.length > 0 ? ` or an API key in ${keyWhere}` : '';
      const why = description ? `The access token was refused: ${description}.` : 'An OAuth access token is required.';
      return {
        ok: false,
        status: 401,
        headers: {
          'www-authenticate': bearerChallenge(
            description ? { error: 'invalid_token', error_description: description } : {},
          ),
        },
        body: {
          error: description ? 'invalid_token' : 'unauthorized',
          message: `${why} Send a token issued by ${oauth.issuer} for ${oauth.audience} as Authorization: Bearer <token>${alsoKey}. Authorization server details: ${metadataUrl}`,
        },
      };
    }
    // Not a Bearer challenge: OAuth clients would go looking for an authorization server there is not.
    return {
      ok: false,
      status: 401,
      headers: { 'www-authenticate': `ApiKey realm="${serviceName}", header="X-API-Key"` },
      body: {
        error: 'unauthorized',
        message: `This server needs an API key: send it in ${keyWhere}. It does not use OAuth; ask its operator for a key (MCP_API_KEY).`,
      },
    };
  };

  async function authenticate(req: IncomingMessage): Promise<AuthOutcome> {
    if (modes.has('none')) return { ok: true, identity: '' };
    if (apiKeys.length === 0 && !oauth) return { ok: true, identity: '' };

    if (apiKeys.length > 0) {
      const key = presentedApiKey(security, req);
      if (key && apiKeyMatches(apiKeys, key)) {
        const identity = `key:${hashOf(key)}`;
        const principal: Principal = { subject: `api-key:${hashOf(key).slice(0, 12)}`, scopes: [], via: 'api-key' };
        const apiKeySha256 = createHash('sha256').update(key).digest('hex');
        return { ok: true, identity, authInfo: authInfoOf(principal, ''), apiKeySha256 };
      }
    }
    const token = oauth && !security.apiKeyHeaderOnly ? bearerToken(req) : undefined;
    if (!oauth || !verifier || token === undefined) return refuse();
    let verified: Awaited<ReturnType<OAuthVerifier['verify']>>;
    try {
      verified = await verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenRejected) {
        log.info('access token refused', { reason: error.description });
        return refuse(error.description);
      }
      if (error instanceof AuthorizationServerUnavailable) {
        log.warn('cannot validate access tokens: the authorization server is unavailable', { error: error.message });
        return {
          ok: false,
          status: 503,
          headers: { 'retry-after': '10' },
          body: {
            error: 'temporarily_unavailable',
            message:
              'The access token cannot be checked right now (the authorization server is unreachable). Try again shortly.',
          },
        };
      }
      throw error;
    }
    const { principal } = verified;
    if (!principal.scopes.includes(oauth.readScope)) {
      const description = `the token lacks the scope ${oauth.readScope}`;
      return {
        ok: false,
        status: 403,
        headers: {
          'www-authenticate': bearerChallenge({
            error: 'insufficient_scope',
            scope: oauth.readScope,
            error_description: description,
          }),
        },
        body: {
          error: 'insufficient_scope',
          message: `The access token is valid but ${description}, which this server needs for any use. Ask for a token with scope ${oauth.readScope}.`,
        },
      };
    }
    return {
      ok: true,
      identity: `sub:${hashOf(`${oauth.issuer}\n${principal.subject}`)}`,
      authInfo: authInfoOf(principal, token, verified.expiresAt),
    };
  }

  return {
    oauth,
    authenticate,
    resourceMetadataPaths,
    resourceMetadata: () =>
      oauth
        ? {
            resource: oauth.audience,
            authorization_servers: [oauth.issuer],
            scopes_supported: [oauth.readScope, oauth.writeScope],
            bearer_methods_supported: ['header'],
            resource_name: options.title,
          }
        : undefined,
  };
}

/** The OAuth --check, for the CLI: what `verifier.check()` says, or why OAuth is not configured. */
export async function checkOAuthSettings(
  settings: Parameters<typeof oauthSettingsOf>[0],
  log: Logger,
): Promise<{ ok: boolean; lines: string[] }> {
  if (!settings.oauthIssuer || !settings.oauthAudience) {
    return {
      ok: false,
      lines: ['oauth: FAILED: --auth oauth needs MCP_OAUTH_ISSUER and MCP_OAUTH_AUDIENCE'],
    };
  }
  return new OAuthVerifier(oauthSettingsOf(settings), log).check();
}

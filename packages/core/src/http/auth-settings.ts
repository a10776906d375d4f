import { ConfigError } from '../config.js';
import type { CoreSettings } from '../core-settings.js';
import type { AnyServerDefinition } from '../definition.js';
import type { OAuthSettings } from './oauth.js';
import { hostnameOf, isLoopbackAddress } from './security.js';

/** Whether the server's HTTP transport checks OAuth tokens (`--auth` includes oauth). */
export function oauthEnabled(settings: CoreSettings): boolean {
  return settings.auth.includes('oauth');
}

/** Whether Authorization carries per-request cloud credentials (so it cannot carry a token). */
export function authorizationHeaderTaken(definition: AnyServerDefinition, settings: CoreSettings): boolean {
  const perRequest = definition.credentials?.perRequest?.(settings as never) ?? false;
  return perRequest && (definition.credentials?.providers ?? []).some((p) => p.usesAuthorizationHeader === true);
}

/** An https URL, or http on a loopback host (a local authorization server while developing). */
function urlProblem(value: string, name: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name} must be a URL (got something else)`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackAddress(hostnameOf(url.host) ?? '')) return undefined;
  return `${name} must be an https URL (http only for a loopback address)`;
}

/**
 * Checks the auth settings of an HTTP server, naming what is missing. Stdio has no HTTP auth,
 * so nothing is checked there.
 */
export function validateAuthSettings(definition: AnyServerDefinition, settings: CoreSettings): void {
  if (settings.transport === 'stdio' || !oauthEnabled(settings)) return;
  const problems: string[] = [];
  if (!settings.oauthIssuer) {
    problems.push(
      'MCP_OAUTH_ISSUER (--oauth-issuer) is missing: the URL of the authorization server that issues the tokens',
    );
  } else {
    const p = urlProblem(settings.oauthIssuer, 'MCP_OAUTH_ISSUER');
    if (p) problems.push(p);
  }
  if (!settings.oauthAudience) {
    problems.push(
      'MCP_OAUTH_AUDIENCE (--oauth-audience) is missing: the public URL clients use for this server, e.g. https://mcp.example.com/mcp',
    );
  } else {
    const p = urlProblem(settings.oauthAudience, 'MCP_OAUTH_AUDIENCE');
    if (p) problems.push(p);
    else if (new URL(settings.oauthAudience).hash) problems.push('MCP_OAUTH_AUDIENCE must not have a #fragment');
  }
  if (settings.oauthJwksUrl) {
    const p = urlProblem(settings.oauthJwksUrl, 'MCP_OAUTH_JWKS_URL');
    if (p) problems.push(p);
  }
  if (settings.oauthIntrospectionUrl) {
    const p = urlProblem(settings.oauthIntrospectionUrl, 'MCP_OAUTH_INTROSPECTION_URL');
    if (p) problems.push(p);
    if (!settings.oauthClientId) problems.push('MCP_OAUTH_INTROSPECTION_URL needs MCP_OAUTH_CLIENT_ID');
    if (!settings.oauthClientSecret) problems.push('MCP_OAUTH_INTROSPECTION_URL needs MCP_OAUTH_CLIENT_SECRET');
  } else if (settings.oauthClientId || settings.oauthClientSecret) {
    problems.push(
      'MCP_OAUTH_CLIENT_ID / MCP_OAUTH_CLIENT_SECRET are only used for introspection: set MCP_OAUTH_INTROSPECTION_URL too',
    );
  }
  if (settings.oauthScopesRead === settings.oauthScopesWrite) {
    problems.push('MCP_OAUTH_SCOPES_READ and MCP_OAUTH_SCOPES_WRITE must differ');
  }
  if (authorizationHeaderTaken(definition, settings)) {
    problems.push(
      'OAuth tokens arrive in the Authorization header, which this server uses for per-request cloud credentials: use API keys (X-API-Key) in this mode',
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(`--auth oauth (MCP_AUTH) cannot start:\n  ${problems.join('\n  ')}`);
  }
}

/** The OAuth settings, once `validateAuthSettings` has accepted them. */
export function oauthSettingsOf(settings: CoreSettings): OAuthSettings {
  return {
    issuer: settings.oauthIssuer as string,
    audience: settings.oauthAudience as string,
    jwksUrl: settings.oauthJwksUrl,
    introspectionUrl: settings.oauthIntrospectionUrl,
    clientId: settings.oauthClientId,
    clientSecret: settings.oauthClientSecret,
    readScope: settings.oauthScopesRead,
    writeScope: settings.oauthScopesWrite,
  };
}

/**
 * Where the protected resource metadata of `audience` is (RFC 9728): the well-known path on its
 * origin, followed by the resource's path (`https://h/mcp` → `https://h/.well-known/oauth-protected-resource/mcp`).
 */
export function resourceMetadataUrl(audience: string): string {
  const url = new URL(audience);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

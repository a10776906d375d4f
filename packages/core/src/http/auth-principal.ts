import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

/** Who made an HTTP request, as the tools see it. Never carries the token or the API key. */
export interface Principal {
  /** The token's subject (`sub`, or the client ID of a client-credentials token); `api-key:<hash>` for API-key callers. */
  subject: string;
  /** The token's scopes; empty for API-key callers, who have the access the server allows. */
  scopes: readonly string[];
  via: 'oauth' | 'api-key';
  /** The OAuth client the token was issued to, when the token says. */
  clientId?: string;
}

/** What the HTTP server attaches to a request (the SDK hands it to handlers as `extra.authInfo`). */
export function authInfoOf(principal: Principal, token: string, expiresAt?: number): AuthInfo {
  return {
    token,
    clientId: principal.clientId ?? '',
    scopes: [...principal.scopes],
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    extra: { opsmcpPrincipal: principal },
  };
}

/** The principal the HTTP server attached, or undefined (stdio, in-memory, unauthenticated HTTP). */
export function principalOf(authInfo: AuthInfo | undefined): Principal | undefined {
  const principal = authInfo?.extra?.opsmcpPrincipal as Principal | undefined;
  return principal && typeof principal.subject === 'string' ? principal : undefined;
}

/** Whether a caller may see and call tools that change things: OAuth callers need the write scope. */
export function principalMayWrite(principal: Principal | undefined, writeScope: string): boolean {
  return principal?.via !== 'oauth' || principal.scopes.includes(writeScope);
}

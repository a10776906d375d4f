import { parse, setting, volcengineSettings } from '@opsmcp/core';
import { z } from 'zod';
import { DEFAULT_ENDPOINT, DEFAULT_REGION } from './volcengine/endpoint.js';

const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values));

/** The RocketMQ server's settings (with the Volcengine credential provider's); env names include the original server's. */
export const rocketmqSettings = {
  ...volcengineSettings,
  credentialType: setting({
    schema: lowerEnum(['env', 'token'] as const),
    flag: 'credential-type',
    env: ['VOLCENGINE_CREDENTIAL_TYPE'],
    default: 'env' as 'env' | 'token',
    valueName: 'env|token',
    description:
      'env: the keys above (or the veFaaS credential file); token: each HTTP request brings its own keys in Authorization: Bearer base64(JSON)',
  }),
  region: setting({
    schema: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().regex(/^[a-z]+(-[a-z0-9]+)+$/)),
    flag: 'region',
    env: ['VOLCENGINE_REGION'],
    default: DEFAULT_REGION,
    description: 'Region signed into requests when a tool call names none',
  }),
  endpoint: setting({
    schema: parse.string(),
    flag: 'endpoint',
    env: ['VOLCENGINE_ENDPOINT'],
    default: DEFAULT_ENDPOINT,
    description: 'OpenAPI host (HTTPS) or full URL such as http://127.0.0.1:18080',
  }),
  requestTimeoutMs: setting({
    schema: parse.integer(100, 600_000),
    flag: 'request-timeout-ms',
    env: ['VOLCENGINE_TIMEOUT_MS'],
    default: 15_000,
    description: 'Longest one OpenAPI request may take',
  }),
  maxRetries: setting({
    schema: parse.integer(0, 5),
    flag: 'max-retries',
    env: ['VOLCENGINE_MAX_RETRIES'],
    default: 2,
    description: 'Retries of a read after throttling, a 5xx or a reset connection (writes are never retried)',
  }),
  serverAuth: setting({
    schema: lowerEnum(['none', 'oauth'] as const),
    flag: 'server-auth',
    env: ['MCP_SERVER_AUTH'],
    default: 'none' as 'none' | 'oauth',
    valueName: 'none|oauth',
    description:
      'Auth switch of the original RocketMQ MCP server: oauth turns on --auth oauth (set MCP_OAUTH_ISSUER and MCP_OAUTH_AUDIENCE); none leaves --auth as it is',
  }),
};

import { parse, setting } from '@opsmcp/core';
import { z } from 'zod';
import { VEFAAS_CREDENTIAL_FILE } from './volcengine/credentials.js';
import { DEFAULT_ENDPOINT, DEFAULT_REGION } from './volcengine/endpoint.js';

const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values));

/** The RocketMQ server's own settings; env names include the seed's. */
export const rocketmqSettings = {
  accessKey: setting({
    schema: parse.string(),
    flag: 'access-key',
    env: ['VOLCENGINE_ACCESS_KEY'],
    description: 'Volcengine access key ID (env credentials)',
  }),
  secretKey: setting({
    schema: parse.string(),
    flag: 'secret-key',
    env: ['VOLCENGINE_SECRET_KEY'],
    secret: true,
    description: 'Volcengine secret access key (env credentials)',
  }),
  sessionToken: setting({
    schema: parse.string(),
    flag: 'session-token',
    env: ['VOLCENGINE_ACCESS_SESSION_TOKEN', 'VOLCENGINE_SESSION_TOKEN'],
    secret: true,
    description: 'STS session token that goes with temporary keys',
  }),
  credentialType: setting({
    schema: lowerEnum(['env', 'token'] as const),
    flag: 'credential-type',
    env: ['VOLCENGINE_CREDENTIAL_TYPE'],
    default: 'env' as 'env' | 'token',
    valueName: 'env|token',
    description:
      'env: the keys above (or the veFaaS credential file); token: each HTTP request brings its own keys in Authorization: Bearer base64(JSON)',
  }),
  credentialFile: setting({
    schema: parse.string(),
    flag: 'credential-file',
    env: ['VOLCENGINE_CREDENTIAL_FILE'],
    default: VEFAAS_CREDENTIAL_FILE,
    description: 'veFaaS IAM-role credential file, read on each call when no env keys are set',
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
    valueName: 'none',
    description: "The seed's auth switch; only none is supported (protect HTTP with MCP_API_KEY)",
  }),
};

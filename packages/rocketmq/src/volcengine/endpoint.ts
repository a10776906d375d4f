import { OpsError } from '@opsmcp/core';

export const DEFAULT_ENDPOINT = 'open.volcengineapi.com';
export const DEFAULT_REGION = 'cn-beijing';
export const SERVICE = 'RocketMQ';
export const API_VERSION = '2023-01-01';

/** Where requests go: `protocol` keeps its colon (`http:`), as Node and the Volcengine SDK expect. */
export interface Endpoint {
  protocol: 'http:' | 'https:';
  /** Host name or address, without brackets or port. */
  hostname: string;
  port: number | undefined;
  /** The Host header value (and the signed `host`): default ports are dropped. */
  host: string;
}

/** Accepts a bare host (`open.volcengineapi.com`, HTTPS) or a full URL (`http://127.0.0.1:18080`). */
export function parseEndpoint(value: string): Endpoint {
  const text = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new OpsError('INVALID_ARGUMENT', `VOLCENGINE_ENDPOINT "${value}" is not a host name or URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OpsError('INVALID_ARGUMENT', `VOLCENGINE_ENDPOINT must use http or https, not ${url.protocol}`);
  }
  if (url.pathname !== '/' || url.search) {
    throw new OpsError('INVALID_ARGUMENT', `VOLCENGINE_ENDPOINT "${value}" must not carry a path or query`);
  }
  return {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : undefined,
    host: url.host,
  };
}

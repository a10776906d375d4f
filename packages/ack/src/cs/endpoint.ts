import { type ApiEndpoint, parseEndpointSetting } from '../observability/endpoint.js';

/** Where CS API calls go: a host (with an optional port) and the protocol to reach it. */
export type CsEndpoint = ApiEndpoint;

/**
 * Reads the CS endpoint setting: `cs-vpc.cn-hangzhou.aliyuncs.com`, `host:port` or a URL
 * (`http://127.0.0.1:8080`). A bare host is reached over HTTPS. Throws with what is expected.
 */
export function parseCsEndpoint(value: string): CsEndpoint {
  return parseEndpointSetting(value, 'ACK_CS_ENDPOINT');
}

/** The SDK's regional default, for messages (the SDK maps a few regions to the central host itself). */
export function defaultCsHost(region: string): string {
  return `cs.${region}.aliyuncs.com`;
}

/**
 * Request-signature verifiers for the signing schemes the opsmcp servers' upstreams use:
 * Volcengine HMAC-SHA256, Alibaba Cloud ACS3-HMAC-SHA256 and SLS `LOG`, and AWS SigV4. Each
 * answers a `SignatureVerdict`: who signed, or exactly why the request does not verify. Runtime
 * code may use them (a sandbox's fake endpoint rejects badly signed requests like the gateway);
 * the `sign*Request` functions are test aids that sign a request the way the SDKs do.
 */

export * from './acs3.js';
export type { RequestHeaders, SignatureVerdict, SignedRequest, VerifiableRequest } from './common.js';
export * from './sigv4.js';
export * from './sls.js';
export * from './volcengine.js';

/**
 * Request-signature verifiers for the signing schemes the opsmcp servers' upstreams use:
 * Volcengine HMAC-SHA256, Alibaba Cloud ACS3-HMAC-SHA256 and SLS `LOG`, and AWS SigV4. Each
 * answers a `SignatureVerdict`: who signed, or exactly why the request does not verify. A
 * sandbox's fake endpoint (`--sandbox` is a product feature) uses them to reject badly signed
 * requests like the real gateway. The signers, which only tests need, are in
 * `@opsmcp/core/testing`.
 */

export {
  ACS3_ALGORITHM,
  type Acs3VerifyOptions,
  buildAcs3CanonicalRequest,
  computeAcs3Signature,
  type ParsedAcs3Authorization,
  parseAcs3Authorization,
  verifyAcs3Signature,
} from './acs3.js';
export type { RequestHeaders, SignatureVerdict, SignedRequest, VerifiableRequest } from './common.js';
export {
  buildSigV4CanonicalRequest,
  computeSigV4Signature,
  type ParsedSigV4Authorization,
  parseSigV4Authorization,
  SIGV4_ALGORITHM,
  type SigV4VerifyOptions,
  verifySigV4Signature,
} from './sigv4.js';
export {
  buildSlsStringToSign,
  computeSlsSignature,
  type SlsSignatureMethod,
  type SlsVerifyOptions,
  verifySlsSignature,
} from './sls.js';
export * from './volcengine.js';

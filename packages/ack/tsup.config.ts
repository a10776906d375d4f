import type { Options } from 'tsup';
import { serverBuild } from '../../tsup.server.js';
import { withVendoredPackages } from '../../tsup.vendor.js';

const builds = serverBuild({ entries: { 'sandbox/index': 'src/sandbox/index.ts' } }) as Options[];

/**
 * The Alibaba Cloud SDKs (CS, SLS, the generic OpenAPI client, the credentials chain) and
 * @kubernetes/client-node (only its KubeConfig, for kubeconfig parsing and TLS/auth material)
 * installed about 90 MB; bundled into dist/vendor/ with only what the sources use (0.8 MB), they are
 * devDependencies.
 */
export default withVendoredPackages(builds, {
  packages: [
    '@alicloud/credentials',
    '@alicloud/cs20151215',
    '@alicloud/openapi-core',
    '@alicloud/sls20201230',
    '@kubernetes/client-node',
  ],
  // Its modules only define things (no import-time effects): what KubeConfig does not reach is dropped.
  sideEffectFree: ['@kubernetes/client-node'],
  // In a try/catch: ws's native helpers (ws is under the Alibaba Cloud SDKs and the Kubernetes
  // client) and node-fetch's charset converter for textConverted(), which nothing here calls.
  optional: ['bufferutil', 'utf-8-validate', 'encoding'],
  replace: {
    // SLS's gateway compresses with lz4 (a native addon) only for PutLogs, PullLogs, GetLogsV2 and
    // PreviewSPL; this server calls GetLogs and CallAiTools, which it never compresses.
    'lz4-napi': `const unavailable = () => {
  throw new Error('lz4 (a native addon) is not part of this build of the SLS client');
};
module.exports = { compress: unavailable, uncompress: unavailable, compressSync: unavailable, uncompressSync: unavailable };`,
    // node-fetch 2 (in @kubernetes/client-node) takes node:url's URL and falls back to whatwg-url's
    // (with a 250 KB IDNA table) only where Node has none: Node 20 always has one.
    'whatwg-url': "module.exports = { URL: require('node:url').URL };",
  },
});

import { serverBuild } from '../../tsup.server.js';

// The simulated cluster ships behind the ./sandbox subpath, apart from the runtime entry.
export default serverBuild({ entries: { 'sandbox/index': 'src/sandbox/index.ts' } });

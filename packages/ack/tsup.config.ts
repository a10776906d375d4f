import { serverBuild } from '../../tsup.server.js';

export default serverBuild({ entries: { 'sandbox/index': 'src/sandbox/index.ts' } });

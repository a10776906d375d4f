import { serverBuild } from '../../tsup.server.js';

export default serverBuild();

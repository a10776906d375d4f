import type { ScenarioData } from '../types.js';
import { type BackendSpec, backend, disk } from './common.js';
import { HEALTHY_BACKENDS, healthy } from './healthy.js';

const FULL: BackendSpec = {
  ...(HEALTHY_BACKENDS[2] as BackendSpec),
  avail: '72.346 GB',
  usedPct: '96.41 %',
  dataTotal: '981.216 GB',
  dataUsedPct: '92.63 %',
  memUsedPct: '41.07 %',
  cpuUsedPct: '15.3 %',
};

/** Scenario 2: BE 10003's data disk filled to 96 % by files that are not StarRocks data. */
export const diskFull: ScenarioData = {
  ...healthy,
  name: 'disk-full',
  description: 'Shared-nothing cluster where BE 10003 is at 96.41 % disk, filled by ~1 TB of non-StarRocks files',
  backends: [...healthy.backends.slice(0, 2), backend(FULL)],
  backendDisks: { ...healthy.backendDisks, '10003': [disk(FULL, '1.010 TB')] },
};

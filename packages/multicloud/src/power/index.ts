export {
  checkPowerConfirmation,
  expectedConfirmation,
  POWER_CONFIRM_SHAPE,
  powerConfirmArguments,
  powerPlan,
} from './confirm.js';
export {
  definePowerTool,
  type PowerOutput,
  type PowerTarget,
  type PowerToolOptions,
  planPower,
  powerOutputSchema,
  readForPower,
  runPower,
} from './define.js';
export { isIpAddress, normalizeIp } from './ip.js';
export { isOperationWord, OPERATION_DESCRIPTIONS, OPERATION_WORDS, POWER_ACTIONS } from './operations.js';
export {
  LARGE_INSTANCE,
  PRODUCTION_TAG_KEYS,
  PRODUCTION_TAG_VALUES,
  productionTags,
  type SafetyReport,
  safetyChecks,
} from './safety.js';

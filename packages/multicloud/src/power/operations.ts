import type { PowerAction } from '../providers/types.js';

/**
 * The words that confirm each power action (compared case-insensitively after trimming), the
 * English action name first, then the Chinese words the original multi-cloud manager accepted.
 */
export const OPERATION_WORDS: Readonly<Record<PowerAction, readonly string[]>> = {
  power_on: ['power_on', '开机', '启动'],
  power_off: ['power_off', '强制关机', '强制断电'],
  shutdown: ['shutdown', '关机', '优雅关机'],
  reboot: ['reboot', '重启', '重新启动'],
};

/** What each action does, in one phrase, for plans and results. */
export const OPERATION_DESCRIPTIONS: Readonly<Record<PowerAction, string>> = {
  power_on: 'power on (start)',
  power_off: 'forced power off (like pulling the plug)',
  shutdown: 'graceful shutdown (the guest OS shuts down)',
  reboot: 'reboot',
};

export const POWER_ACTIONS = ['power_on', 'power_off', 'reboot', 'shutdown'] as const satisfies readonly PowerAction[];

export function isOperationWord(action: PowerAction, typed: string): boolean {
  const word = typed.trim().toLowerCase();
  return OPERATION_WORDS[action].some((w) => w.toLowerCase() === word);
}

import { closeOpen, evaluateEvent, initialLockdownState, type LockdownState } from '../../../../shared/domain/policyEvaluation';
import type { OsFamily } from '../../../../shared/domain/observations';
import type { EventRules } from './examLockdown';

/** The exam policy's event rules (policyEvaluation.ts) behind the lockdown's port. */
export function policyRules(os: OsFamily, newId: () => string): EventRules<LockdownState> {
  return {
    initial: (_policy, displays) => initialLockdownState(os, displays),
    observe: (policy, state, observation) => evaluateEvent(policy, state, observation, newId),
    close: (policy, state, at) => closeOpen(policy, state, at, newId),
  };
}

/** Node's `process.platform` names (what the hosts report) as the policy's OS families. */
export function osFamily(platform: string): OsFamily {
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  if (platform === 'linux') return 'linux';
  return 'other';
}

import type { StartChecks } from '../../../../shared/api/checks';
import type { Step } from '../../components/StepList';

/** The pre-exam steps, in order. The desk check is not built yet. */
export type PreExamStepId = 'consent' | 'system' | 'identity' | 'translator' | 'begin';

const ORDER: readonly PreExamStepId[] = ['consent', 'system', 'identity', 'translator', 'begin'];

/** Whether the server already holds what each step produces. */
export function stepDone(checks: StartChecks): Record<Exclude<PreExamStepId, 'begin'>, boolean> {
  return {
    consent: checks.consent,
    system: checks.systemCheck === 'passed',
    identity: checks.identity === 'not_required' || checks.identity === 'passed' || checks.identity === 'manual_review',
    translator: !checks.translatorRequired || checks.translator !== null,
  };
}

/**
 * The step to show: the first the server does not hold yet. The system check is run again on
 * every visit (the computer may have changed since), so `systemVisited` says whether this visit
 * ran it; identity and consent, once done, stay done.
 */
export function currentStep(checks: StartChecks, systemVisited: boolean): PreExamStepId {
  const done = stepDone(checks);
  if (!done.consent) return 'consent';
  if (!done.system || !systemVisited) return 'system';
  if (!done.identity) return 'identity';
  if (!done.translator) return 'translator';
  return 'begin';
}

/** The step list shown above the current step; the desk check shows as "later". */
export function stepList(current: PreExamStepId, checks: StartChecks): Step[] {
  const index = ORDER.indexOf(current);
  const state = (id: PreExamStepId): Step['state'] => {
    const i = ORDER.indexOf(id);
    return i < index ? 'done' : i === index ? 'current' : 'upcoming';
  };
  const identityNeeded = checks.identity !== 'not_required';
  const translatorNeeded = checks.translatorRequired;
  return [
    { id: 'consent', label: 'Consent to recording', state: state('consent') },
    { id: 'system', label: 'System check', state: state('system') },
    ...(identityNeeded ? [{ id: 'identity', label: 'Identity check', state: state('identity') }] : []),
    { id: 'desk', label: 'Desk check', state: 'later' as const },
    ...(translatorNeeded ? [{ id: 'translator', label: 'Choose a translator', state: state('translator') }] : []),
    { id: 'begin', label: 'Camera and microphone, then begin', state: state('begin') },
  ];
}

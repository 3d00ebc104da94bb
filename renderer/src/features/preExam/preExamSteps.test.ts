import { describe, expect, it } from 'vitest';
import type { StartChecks } from '../../../../shared/api/checks';
import { currentStep, stepList } from './preExamSteps';

const none: StartChecks = { consent: false, systemCheck: 'missing', identity: 'not_started', translator: null, translatorRequired: true };

describe('pre-exam steps', () => {
  it('walks consent → system → identity → translator → begin as the server records each', () => {
    expect(currentStep(none, false)).toBe('consent');
    const consented = { ...none, consent: true };
    expect(currentStep(consented, false)).toBe('system');
    const checked = { ...consented, systemCheck: 'passed' as const };
    expect(currentStep(checked, true)).toBe('identity');
    const identified = { ...checked, identity: 'manual_review' as const };
    expect(currentStep(identified, true)).toBe('translator');
    expect(currentStep({ ...identified, translator: 'youdao' }, true)).toBe('begin');
  });

  it('runs the system check again on a new visit, and refuses to pass a failed one', () => {
    const all: StartChecks = { consent: true, systemCheck: 'passed', identity: 'passed', translator: 'bing', translatorRequired: true };
    expect(currentStep(all, false)).toBe('system');
    expect(currentStep({ ...all, systemCheck: 'failed' }, true)).toBe('system');
  });

  it('skips identity and translator when the exam needs neither', () => {
    const relaxed: StartChecks = { consent: true, systemCheck: 'passed', identity: 'not_required', translator: null, translatorRequired: false };
    expect(currentStep(relaxed, true)).toBe('begin');
    const ids = stepList('begin', relaxed).map((s) => s.id);
    expect(ids).toEqual(['consent', 'system', 'desk', 'begin']);
  });

  it('marks earlier steps done and later ones upcoming', () => {
    const states = stepList('identity', { ...none, consent: true, systemCheck: 'passed' }).map((s) => `${s.id}:${s.state}`);
    expect(states).toEqual(['consent:done', 'system:done', 'identity:current', 'desk:later', 'translator:upcoming', 'begin:upcoming']);
  });
});

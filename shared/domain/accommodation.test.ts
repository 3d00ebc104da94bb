import { describe, expect, it } from 'vitest';
import { MonitoringProfile, relaxMonitoring } from './accommodation';
import { MonitoringPolicy } from './examPolicy';

const defaults = MonitoringPolicy.parse({});
/** Seconds thresholds where 0 means the detector is off (off is the most relaxed value). */
const OFF_ABLE = ['lookingAwaySeconds', 'speechSeconds'] as const;
const SECONDS = ['absentSeconds', 'multipleFacesSeconds', 'cameraBlockedSeconds', 'lookingAwaySeconds', 'speechSeconds'] as const;

describe('relaxMonitoring', () => {
  it.each<[MonitoringProfile, Partial<MonitoringPolicy>]>([
    ['standard', {}],
    ['breaks', { absentSeconds: 300 }],
    ['assistive_device', { lookingAwaySeconds: 0, speechSeconds: 0 }],
    ['relaxed', { absentSeconds: 300, lookingAwaySeconds: 0, speechSeconds: 0, multipleFacesSeconds: 120 }],
  ])('%s changes only what it names', (profile, changes) => {
    expect(relaxMonitoring(defaults, profile)).toEqual({ ...defaults, ...changes });
  });

  it('keeps identity checks as the exam sets them, whatever the profile', () => {
    for (const profile of MonitoringProfile.options) {
      const relaxed = relaxMonitoring(defaults, profile);
      expect(relaxed).toMatchObject({
        identityCheckSeconds: defaults.identityCheckSeconds,
        differentPersonDistance: defaults.differentPersonDistance,
        detectionsPerSecond: defaults.detectionsPerSecond,
      });
    }
  });

  it('never makes an exam stricter: a policy already more lenient than the profile stays as it was', () => {
    const lenient = MonitoringPolicy.parse({ absentSeconds: 600, multipleFacesSeconds: 300, lookingAwaySeconds: 0, speechSeconds: 0 });
    for (const [policy, profile] of [defaults, lenient].flatMap((p) => MonitoringProfile.options.map((o) => [p, o] as const))) {
      const relaxed = relaxMonitoring(policy, profile);
      for (const key of SECONDS) {
        const before = policy[key];
        const after = relaxed[key];
        const off = (OFF_ABLE as readonly string[]).includes(key);
        if (off && before === 0) expect(after, `${profile} ${key}`).toBe(0);
        else if (!(off && after === 0)) expect(after, `${profile} ${key}`).toBeGreaterThanOrEqual(before);
      }
    }
  });

  it('gives thresholds the policy schema accepts', () => {
    for (const profile of MonitoringProfile.options) {
      expect(MonitoringPolicy.safeParse(relaxMonitoring(defaults, profile)).success).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { SessionEventKind, Severity } from '../api/events';
import { RISK_WEIGHTS, type RiskEvent, riskScore } from './riskScore';

const T0 = Date.parse('2031-03-03T09:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

/** A flag at second `from` of the exam lasting `seconds` (null: an instant). */
const flag = (kind: SessionEventKind, severity: Severity, from: number, seconds: number | null = null, confidence: number | null = null): RiskEvent => ({
  kind,
  severity,
  startedAt: at(from),
  endedAt: seconds === null ? null : at(from + seconds),
  confidence,
});
const times = (n: number, make: (i: number) => RiskEvent): RiskEvent[] => Array.from({ length: n }, (_, i) => make(i));

/** What an ordinary, honest two-hour exam produces: a few glances, a word aloud, a moment away. */
const typicalNoise: RiskEvent[] = [
  flag('focus_lost', 'medium', 600, 6),
  flag('focus_lost', 'medium', 1800, 7),
  flag('focus_lost', 'medium', 4000, 9),
  flag('looking_away', 'low', 900, 20, 0.6),
  flag('speech', 'low', 1200, 6, 0.8),
  flag('absent', 'medium', 3000, 15, 0.7),
  flag('shortcut_blocked', 'low', 50),
  flag('offline', 'low', 5000, 30),
  flag('display_removed', 'info', 100),
  flag('quit_requested', 'info', 7000),
];

describe('riskScore', () => {
  it.each<[string, number, number, RiskEvent[]]>([
    // what, lowest and highest expected score, the flags
    ['a session without flags', 0, 0, []],
    ['only informational events', 0, 0, [flag('display_removed', 'info', 10), flag('quit_requested', 'info', 20), flag('web_client', 'info', 0)]],
    ['typical noise of an honest exam', 3, 15, typicalNoise],
    ['100 short focus losses', 13, 15, times(100, (i) => flag('focus_lost', 'medium', i * 60, 5))],
    ['one unsure absence (detector confidence 0.3)', 0.5, 2, [flag('absent', 'medium', 100, 20, 0.3)]],
    ['another account presented the same ID', 55, 60, [flag('duplicate_account', 'high', 0)]],
    [
      'remote control software, a second face and a second display',
      60,
      75,
      [flag('blocked_process', 'high', 300), flag('multiple_faces', 'high', 600, 45, 0.9), flag('display_added', 'high', 900)],
    ],
    [
      'unverified ID, a different person for minutes and a VM',
      75,
      100,
      [flag('identity_unverified', 'medium', 0), flag('different_person', 'high', 1200, 240, 0.85), flag('virtual_machine', 'high', 0)],
    ],
  ])('%s: between %d and %d', (name, low, high, events) => {
    const { score, contributions } = riskScore(events);
    expect(score).toBeGreaterThanOrEqual(low);
    expect(score).toBeLessThanOrEqual(high);
    // The explanation adds up to the score (capped at 100).
    expect(score).toBeCloseTo(Math.min(100, contributions.reduce((n, c) => n + c.points, 0)), 5);
  });

  it('explains each kind in a sentence with its count, time, points and cap', () => {
    const { contributions } = riskScore(typicalNoise);
    const focus = contributions.find((c) => c.kind === 'focus_lost')!;
    expect(focus).toMatchObject({ count: 3, seconds: 22, weight: 15 });
    expect(focus.points).toBeGreaterThan(0);
    expect(focus.reason).toBe(`3 focus losses lasting 22 s in all (3 medium): ${focus.points} points of at most 15.`);
    const absent = contributions.find((c) => c.kind === 'absent')!;
    expect(absent.reason).toContain('detector confidence 70 % on average');
    expect(contributions.find((c) => c.kind === 'quit_requested')).toMatchObject({ points: 0, reason: '1 attempt to quit: informational only, adds nothing.' });
    // Highest first, so the review screen reads the biggest reason first.
    expect(contributions.map((c) => c.points)).toEqual([...contributions.map((c) => c.points)].sort((a, b) => b - a));
  });

  it('levels off: no number of flags of one kind gives more than its weight', () => {
    for (const kind of Object.keys(RISK_WEIGHTS) as SessionEventKind[]) {
      const many = riskScore(times(500, (i) => flag(kind, 'high', i * 10, 600)));
      expect(many.contributions[0]!.points).toBeLessThanOrEqual(RISK_WEIGHTS[kind].weight);
    }
    const saturated = riskScore(times(100, (i) => flag('focus_lost', 'high', i * 100, 120)));
    expect(saturated.contributions[0]!.reason).toContain('the most this kind can add');
  });

  it('weighs identity, other people and blocked software more than ordinary behaviour', () => {
    const one = (kind: SessionEventKind): number => riskScore([flag(kind, 'high', 0, 60)]).score;
    for (const serious of ['duplicate_account', 'identity_unverified', 'different_person', 'blocked_process', 'virtual_machine'] as const) {
      for (const ordinary of ['focus_lost', 'looking_away', 'speech', 'absent', 'offline', 'shortcut_blocked'] as const) {
        expect(one(serious), `${serious} vs ${ordinary}`).toBeGreaterThan(one(ordinary));
      }
    }
  });

  it('counts a flag still open at the end of the attempt up to that end, and an open flag without it as a moment', () => {
    const open = flag('focus_lost', 'high', 0);
    expect(riskScore([open], { sessionEndedAt: at(600) }).contributions[0]).toMatchObject({ seconds: 600 });
    expect(riskScore([open]).contributions[0]).toMatchObject({ seconds: 0 });
    expect(riskScore([open], { sessionEndedAt: at(600) }).score).toBeGreaterThan(riskScore([open]).score);
  });

  it('is monotonic in evidence: more, longer, surer or more severe flags never lower the score', () => {
    // A deterministic pseudo-random walk over sessions (no Math.random: the same run every time).
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const kinds = Object.keys(RISK_WEIGHTS) as SessionEventKind[];
    const severities: Severity[] = ['info', 'low', 'medium', 'high'];
    const randomFlag = (): RiskEvent =>
      flag(kinds[Math.floor(next() * kinds.length)]!, severities[Math.floor(next() * 4)]!, Math.floor(next() * 7200), next() < 0.3 ? null : Math.floor(next() * 300), next() < 0.5 ? null : next());
    for (let round = 0; round < 200; round += 1) {
      const events = times(Math.floor(next() * 12), randomFlag);
      const base = riskScore(events).score;
      expect(riskScore([...events, randomFlag()]).score).toBeGreaterThanOrEqual(base);
      if (events.length === 0) continue;
      const i = Math.floor(next() * events.length);
      const e = events[i]!;
      const stronger: RiskEvent[] = [
        { ...e, severity: severities[Math.min(3, severities.indexOf(e.severity) + 1)]! },
        { ...e, confidence: e.confidence === null || e.confidence === undefined ? null : Math.min(1, e.confidence + 0.2) },
        { ...e, endedAt: e.endedAt === null ? null : new Date(Date.parse(e.endedAt) + 30_000).toISOString() },
      ];
      for (const s of stronger) expect(riskScore(events.map((x, j) => (j === i ? s : x))).score).toBeGreaterThanOrEqual(base);
    }
  });

  it('caps the score at 100', () => {
    const everything = (Object.keys(RISK_WEIGHTS) as SessionEventKind[]).flatMap((kind) => times(5, (i) => flag(kind, 'high', i * 100, 300)));
    const { score, contributions } = riskScore(everything);
    expect(score).toBe(100);
    expect(contributions.reduce((n, c) => n + c.points, 0)).toBeGreaterThan(100);
  });
});

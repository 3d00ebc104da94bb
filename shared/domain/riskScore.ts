import type { SessionEventKind, Severity } from '../api/events';

/**
 * A session's risk score: the flags merged into one number, 0..100, that
 * orders the review queue. It says where a proctor should look first, never what happened: flags are
 * evidence for a human, and every point of the score is explained in a sentence.
 *
 * How it is computed, per kind of flag (the weights below):
 * 1. each flag is worth `severity × confidence × duration` evidence units, at most 1:
 *    - severity: info 0 (never counts), low 0.35, medium 0.7, high 1;
 *    - confidence: the detector's 0..1 (null, for what is simply observed, counts as 1), so a face
 *      detector that is unsure (dim light, darker skin it was not trained well on) weighs less;
 *    - duration (flags that last): 0.5 for a moment, rising to 1 at `fullAfterSeconds`, never more,
 *      so one long flag cannot outweigh everything else; instants count 1;
 * 2. a kind's points rise with its evidence E and level off (diminishing returns):
 *    `points = weight × (1 − 2^(−E / half))`: `half` evidence units give half the weight, and no
 *    number of flags of one kind gives more than `weight`, so 100 short focus losses do not dominate;
 * 3. the score is the sum of the kinds' points (each rounded to 0.1), capped at 100.
 * The score rises with evidence: another flag, a longer one, a surer or more severe one never lowers it.
 */

export interface RiskWeight {
  /** Most points this kind can give, however many flags of it there are. */
  readonly weight: number;
  /** Evidence units (≈ full-strength flags) that give half the weight. */
  readonly half: number;
  /** Flags that last reach full strength after this many seconds; null for instants. */
  readonly fullAfterSeconds: number | null;
  /** Singular and plural, for the sentence. */
  readonly label: readonly [string, string];
}

/**
 * The documented weights. Identity (another account with the same ID, an unverified ID), a different
 * person, remote-control or screen-sharing software and virtual machines weigh most; what ordinary
 * people do in a long exam (a glance away, a word said aloud, a moment out of the window) weighs least
 * and levels off quickly.
 */
export const RISK_WEIGHTS: Readonly<Record<SessionEventKind, RiskWeight>> = {
  duplicate_account: { weight: 60, half: 0.2, fullAfterSeconds: null, label: ['other account presented the same ID', 'other accounts presented the same ID'] },
  identity_disagreement: { weight: 50, half: 0.2, fullAfterSeconds: null, label: ['identity reading that disagreed with the app', 'identity readings that disagreed with the app'] },
  attestation_failed: { weight: 60, half: 0.2, fullAfterSeconds: null, label: ['failed app attestation', 'failed app attestations'] },
  proctor_ended: { weight: 60, half: 0.2, fullAfterSeconds: null, label: ['attempt ended by a proctor', 'attempts ended by a proctor'] },
  identity_unverified: { weight: 40, half: 0.2, fullAfterSeconds: null, label: ['unverified identity check', 'unverified identity checks'] },
  different_person: { weight: 45, half: 1, fullAfterSeconds: 30, label: ['different person in view', 'different-person flags'] },
  blocked_process: { weight: 40, half: 0.5, fullAfterSeconds: null, label: ['blocked application running', 'blocked applications running'] },
  virtual_machine: { weight: 35, half: 0.5, fullAfterSeconds: null, label: ['virtual machine sign', 'virtual machine signs'] },
  multiple_faces: { weight: 35, half: 0.75, fullAfterSeconds: 60, label: ['several faces in view', 'several-faces flags'] },
  display_added: { weight: 25, half: 0.5, fullAfterSeconds: null, label: ['extra display connected', 'extra displays connected'] },
  absent: { weight: 20, half: 2, fullAfterSeconds: 120, label: ['time with no face in view', 'times with no face in view'] },
  camera_blocked: { weight: 20, half: 1.5, fullAfterSeconds: 60, label: ['camera covered or frozen', 'camera covered or frozen flags'] },
  camera_lost: { weight: 15, half: 1.5, fullAfterSeconds: 120, label: ['camera lost', 'camera losses'] },
  recording_gap: { weight: 15, half: 1.5, fullAfterSeconds: 120, label: ['gap in the recording', 'gaps in the recording'] },
  focus_lost: { weight: 15, half: 3, fullAfterSeconds: 60, label: ['focus loss', 'focus losses'] },
  fullscreen_exited: { weight: 10, half: 2, fullAfterSeconds: 60, label: ['exit from full screen', 'exits from full screen'] },
  suspend: { weight: 10, half: 1, fullAfterSeconds: 300, label: ['sleep of the computer', 'sleeps of the computer'] },
  looking_away: { weight: 10, half: 3, fullAfterSeconds: 60, label: ['look away', 'looks away'] },
  speech: { weight: 10, half: 3, fullAfterSeconds: 30, label: ['stretch of speech', 'stretches of speech'] },
  offline: { weight: 8, half: 2, fullAfterSeconds: 300, label: ['time offline', 'times offline'] },
  web_client: { weight: 5, half: 0.5, fullAfterSeconds: null, label: ['sitting in a plain browser', 'sittings in a plain browser'] },
  shortcut_blocked: { weight: 5, half: 3, fullAfterSeconds: null, label: ['blocked shortcut', 'blocked shortcuts'] },
  translator_navigation_blocked: { weight: 5, half: 3, fullAfterSeconds: null, label: ['blocked translator navigation', 'blocked translator navigations'] },
  quit_requested: { weight: 3, half: 3, fullAfterSeconds: null, label: ['attempt to quit', 'attempts to quit'] },
  app_incident: { weight: 5, half: 1, fullAfterSeconds: null, label: ['app incident', 'app incidents'] },
  display_removed: { weight: 0, half: 1, fullAfterSeconds: null, label: ['display removed', 'displays removed'] },
};

export const SEVERITY_FACTOR: Readonly<Record<Severity, number>> = { info: 0, low: 0.35, medium: 0.7, high: 1 };

/** What the score reads of a flag (a SessionEvent has all of it). */
export interface RiskEvent {
  readonly kind: SessionEventKind;
  readonly severity: Severity;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly confidence?: number | null | undefined;
}

export interface RiskContext {
  /** When the attempt ended (submit or time-out): flags still open then are counted up to it. Without it they count as moments. */
  readonly sessionEndedAt?: string | null | undefined;
}

export interface RiskContribution {
  readonly kind: SessionEventKind;
  readonly count: number;
  /** Seconds the flags of this kind lasted in all (overlaps counted once per flag). */
  readonly seconds: number;
  /** Most points this kind can give. */
  readonly weight: number;
  /** Points it gives, rounded to 0.1; the score is their sum, capped at 100. */
  readonly points: number;
  /** The contribution in one plain sentence, for the review screen. */
  readonly reason: string;
}

export interface RiskScore {
  readonly score: number;
  /** Every kind of flag the session has, highest points first. */
  readonly contributions: readonly RiskContribution[];
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function flagSeconds(event: RiskEvent, endedAt: number | null): number {
  const start = Date.parse(event.startedAt);
  const end = event.endedAt !== null ? Date.parse(event.endedAt) : endedAt;
  if (end === null || !Number.isFinite(start) || !Number.isFinite(end)) return 0;
  return Math.max(0, (end - start) / 1000);
}

/** One flag's evidence units, 0..1. */
export function flagEvidence(event: RiskEvent, seconds: number): number {
  const w = RISK_WEIGHTS[event.kind];
  const confidence = event.confidence ?? 1;
  const duration = w.fullAfterSeconds === null ? 1 : 0.5 + 0.5 * Math.min(1, seconds / w.fullAfterSeconds);
  return SEVERITY_FACTOR[event.severity] * Math.min(1, Math.max(0, confidence)) * duration;
}

/** Points for a kind with `evidence` units: rises with evidence, never above the weight. */
export function kindPoints(weight: RiskWeight, evidence: number): number {
  return evidence <= 0 ? 0 : weight.weight * (1 - 2 ** (-evidence / weight.half));
}

function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

function sentence(kind: SessionEventKind, flags: readonly { event: RiskEvent; seconds: number }[], points: number): string {
  const w = RISK_WEIGHTS[kind];
  const count = flags.length;
  const what = `${count} ${w.label[count === 1 ? 0 : 1]}`;
  const seconds = flags.reduce((n, f) => n + f.seconds, 0);
  const lasting = w.fullAfterSeconds !== null && seconds > 0 ? ` lasting ${formatSeconds(seconds)} in all` : '';
  const counted = flags.filter((f) => f.event.severity !== 'info');
  if (counted.length === 0) return `${capitalise(what)}${lasting}: informational only, adds nothing.`;
  if (w.weight === 0) return `${capitalise(what)}${lasting}: recorded for context, adds nothing.`;
  const sure = counted.filter((f) => f.event.confidence !== null && f.event.confidence !== undefined);
  const confidence =
    sure.length > 0 ? `, detector confidence ${Math.round((100 * sure.reduce((n, f) => n + (f.event.confidence ?? 0), 0)) / sure.length)} % on average` : '';
  const severities = (['high', 'medium', 'low'] as const)
    .map((s) => [s, counted.filter((f) => f.event.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => (count === 1 ? s : `${n} ${s}`))
    .join(', ');
  const cap = points >= w.weight - 0.05 ? `, the most this kind can add` : ` of at most ${w.weight}`;
  return `${capitalise(what)}${lasting} (${severities}${confidence}): ${points} points${cap}.`;
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The session's score and, per kind of flag, what it added and why. Pure. */
export function riskScore(events: readonly RiskEvent[], context: RiskContext = {}): RiskScore {
  const end = context.sessionEndedAt ? Date.parse(context.sessionEndedAt) : null;
  const byKind = new Map<SessionEventKind, { event: RiskEvent; seconds: number }[]>();
  for (const event of events) {
    // A kind this version does not know (a newer app's) is shown in the event log but not scored.
    if (!Object.hasOwn(RISK_WEIGHTS, event.kind)) continue;
    const list = byKind.get(event.kind) ?? [];
    list.push({ event, seconds: flagSeconds(event, Number.isFinite(end) ? end : null) });
    byKind.set(event.kind, list);
  }
  const contributions: RiskContribution[] = [...byKind].map(([kind, flags]) => {
    const w = RISK_WEIGHTS[kind];
    const evidence = flags.reduce((n, f) => n + flagEvidence(f.event, f.seconds), 0);
    const points = round1(kindPoints(w, evidence));
    return {
      kind,
      count: flags.length,
      seconds: Math.round(flags.reduce((n, f) => n + f.seconds, 0)),
      weight: w.weight,
      points,
      reason: sentence(kind, flags, points),
    };
  });
  contributions.sort((a, b) => b.points - a.points || b.count - a.count || a.kind.localeCompare(b.kind));
  const score = Math.min(100, round1(contributions.reduce((n, c) => n + c.points, 0)));
  return { score, contributions };
}

import type { SessionEventKind } from '../../../shared/api';
import type { SessionRiskResponse } from '../../../shared/api/risk';
import { riskScore } from '../../../shared/domain/riskScore';
import type { Db, SessionRow } from '../sessions/context';
import { recordingGaps } from './recordingGaps';

export type SessionRisk = SessionRiskResponse;

/** When the attempt ended (submit or time-out; both set `submitted_at`), or null while it runs. */
export const attemptEnd = (session: Pick<SessionRow, 'submitted_at'>): number | null => session.submitted_at;

/**
 * The session's risk score from its flags (the stored events, which include the server's identity
 * flags, and the recording gaps derived from its takes). Reads neither thumbnails nor details.
 */
export async function sessionRisk(db: Db, session: Pick<SessionRow, 'id' | 'submitted_at'>): Promise<SessionRisk> {
  const end = attemptEnd(session);
  const [stored, gaps] = await Promise.all([
    db
      .selectFrom('monitor_events')
      .select(['kind', 'severity', 'started_at', 'ended_at', 'confidence'])
      .where('session_id', '=', session.id)
      .execute(),
    recordingGaps(db, session.id, end),
  ]);
  const events = [
    ...stored.map((r) => ({
      kind: r.kind as SessionEventKind,
      severity: r.severity,
      startedAt: new Date(r.started_at).toISOString(),
      endedAt: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
      confidence: r.confidence,
    })),
    ...gaps,
  ];
  const { score, contributions } = riskScore(events, { sessionEndedAt: end === null ? null : new Date(end).toISOString() });
  const flags = contributions.reduce((n, c) => n + c.count, 0);
  const summary =
    flags === 0
      ? 'No flags: nothing was seen that needs a look.'
      : `${score} of 100 from ${flags} flag${flags === 1 ? '' : 's'}: where to look first, not a verdict; each line below says what was seen and what it added.`;
  return { sessionId: session.id, score, contributions: [...contributions], summary };
}

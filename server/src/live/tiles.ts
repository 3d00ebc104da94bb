// The proctor's Live grid: one tile per session with a learner connected, read from the database
// (learner, exam, running section, recent flags, pause, last message) and from the SFU (sources, raised hand).
import { type Kysely, sql } from 'kysely';
import type { LiveSource, LiveTile } from '../../../shared/api';
import type { Database } from '../db/schema';
import type { ExamStore } from '../exams/examStore';

/** What the SFU knows of a session. */
export interface LiveSessionState {
  readonly sessionId: string;
  readonly handRaised: boolean;
  readonly sources: readonly LiveSource[];
}

const RECENT_FLAGS = 5;
const SOURCE_ORDER: readonly LiveSource[] = ['camera', 'microphone', 'screen'];

const iso = (ms: number): string => new Date(ms).toISOString();

/** Tiles for `live`, sorted by learner name; sessions no longer in the database are left out. */
export async function loadTiles(db: Kysely<Database>, exams: ExamStore, live: readonly LiveSessionState[], now: number): Promise<LiveTile[]> {
  if (live.length === 0) return [];
  const ids = live.map((s) => s.sessionId);
  const [rows, sections, flags, pauses, messages] = await Promise.all([
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as sessionId', 'sessions.exam_id as examId', 'users.full_name as learnerName'])
      .where('sessions.id', 'in', ids)
      .execute(),
    db
      .selectFrom('session_sections')
      .select(['session_id', 'section_id', 'deadline', 'opened_at'])
      .where('session_id', 'in', ids)
      .where('state', '=', 'open')
      .where('deadline', '>', now)
      .execute(),
    db
      .selectFrom((eb) =>
        eb
          .selectFrom('monitor_events')
          .select([
            'session_id',
            'kind',
            'severity',
            'started_at',
            sql<number>`row_number() over (partition by session_id order by started_at desc, received_at desc)`.as('rank'),
          ])
          .where('session_id', 'in', ids)
          .where('severity', '!=', 'info')
          .as('ranked'),
      )
      .select(['session_id', 'kind', 'severity', 'started_at'])
      .where('rank', '<=', RECENT_FLAGS)
      .orderBy('session_id')
      .orderBy('rank')
      .execute(),
    db.selectFrom('session_pauses').select(['session_id', 'started_at']).where('session_id', 'in', ids).where('ended_at', 'is', null).execute(),
    db
      .selectFrom('live_messages')
      .select(['id', 'session_id', 'sent_at', 'read_at'])
      .where('session_id', 'in', ids)
      .orderBy('sent_at')
      .orderBy('id')
      .execute(),
  ]);
  const pausedSince = new Map(pauses.map((p) => [p.session_id, iso(Number(p.started_at))]));
  // Ordered oldest first: the last one seen per session is the newest.
  const lastMessage = new Map<string, LiveTile['lastMessage']>();
  for (const m of messages) {
    lastMessage.set(m.session_id, { id: m.id, sentAt: iso(Number(m.sent_at)), readAt: m.read_at === null ? null : iso(Number(m.read_at)) });
  }

  const running = new Map<string, { section_id: string; deadline: number; opened_at: number }>();
  for (const s of sections) {
    const seen = running.get(s.session_id);
    if (!seen || s.opened_at > seen.opened_at) running.set(s.session_id, s);
  }
  const flagsBySession = new Map<string, LiveTile['recentFlags']>();
  for (const f of flags) {
    const list = flagsBySession.get(f.session_id) ?? [];
    list.push({ kind: f.kind, severity: f.severity, startedAt: iso(Number(f.started_at)) });
    flagsBySession.set(f.session_id, list);
  }
  const examCache = new Map<string, Awaited<ReturnType<ExamStore['get']>>>();
  const byId = new Map(live.map((s) => [s.sessionId, s]));

  const tiles: LiveTile[] = [];
  for (const row of rows) {
    const state = byId.get(row.sessionId);
    if (!state) continue;
    if (!examCache.has(row.examId)) examCache.set(row.examId, await exams.get(row.examId, db));
    const exam = examCache.get(row.examId) ?? null;
    const section = running.get(row.sessionId);
    const sectionTitle = section ? (exam?.sections.find((s) => s.id === section.section_id)?.title ?? null) : null;
    tiles.push({
      sessionId: row.sessionId,
      learnerName: row.learnerName,
      examTitle: exam?.title ?? row.examId,
      sectionTitle,
      sectionEndsAt: section && sectionTitle !== null ? iso(Number(section.deadline)) : null,
      handRaised: state.handRaised,
      sources: SOURCE_ORDER.filter((source) => state.sources.includes(source)),
      recentFlags: (flagsBySession.get(row.sessionId) ?? []).slice(0, RECENT_FLAGS),
      pausedSince: pausedSince.get(row.sessionId) ?? null,
      lastMessage: lastMessage.get(row.sessionId) ?? null,
    });
  }
  return tiles.sort((a, b) => a.learnerName.localeCompare(b.learnerName, 'en') || a.sessionId.localeCompare(b.sessionId));
}

/**
 * The `tiles` notification as text within `maxBytes`: when every tile does not fit, the flags are left
 * out first, then the tiles past the cap (in name order). `trimmed` says whether anything was left out.
 */
export function tilesFrame(tiles: readonly LiveTile[], maxBytes: number): { readonly text: string; readonly trimmed: boolean } {
  const frame = (list: readonly LiveTile[]) => JSON.stringify({ notification: 'tiles', data: { tiles: list } });
  const full = frame(tiles);
  if (Buffer.byteLength(full) <= maxBytes) return { text: full, trimmed: false };
  const bare = tiles.map((t) => ({ ...t, recentFlags: [] }));
  let low = 0;
  let high = bare.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(frame(bare.slice(0, mid))) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  return { text: frame(bare.slice(0, low)), trimmed: true };
}

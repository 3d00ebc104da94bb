import type { Selectable } from 'kysely';
import type { AnswerValue, ExamDefinition, SavedAnswer, SessionControl, SessionStatus, SessionView } from '../../../shared/api';
import type { AnswersTable, SessionSectionsTable } from '../db/schema';
import { toQuestionView } from '../exams/views';
import { loadStartChecks } from '../checks/startChecks';
import { type Db, type LoadedSession, openPause, timeMultiplierFor } from './context';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export type AnswerRow = Selectable<AnswersTable>;
export type SectionRow = Selectable<SessionSectionsTable>;

export function readAnswerValue(row: AnswerRow): AnswerValue {
  return JSON.parse(row.value) as AnswerValue;
}

/** The answer with the highest sequence wins, whatever order the entries arrived in. */
export function latestAnswers(rows: readonly AnswerRow[]): Map<string, AnswerRow> {
  const latest = new Map<string, AnswerRow>();
  for (const row of rows) {
    const current = latest.get(row.question_id);
    if (!current || row.sequence > current.sequence) latest.set(row.question_id, row);
  }
  return latest;
}

export async function loadAnswers(db: Db, sessionId: string): Promise<AnswerRow[]> {
  return db.selectFrom('answers').selectAll().where('session_id', '=', sessionId).orderBy('sequence').execute();
}

export async function loadSections(db: Db, sessionId: string): Promise<Map<string, SectionRow>> {
  const rows = await db.selectFrom('session_sections').selectAll().where('session_id', '=', sessionId).execute();
  return new Map(rows.map((r) => [r.section_id, r]));
}

export function allQuestions(exam: ExamDefinition) {
  return exam.sections.flatMap((s) => s.questions);
}

export async function buildSessionView(db: Db, { session, exam }: LoadedSession): Promise<SessionView> {
  const [sections, answers, timeMultiplier, checks, control] = await Promise.all([
    loadSections(db, session.id),
    loadAnswers(db, session.id),
    timeMultiplierFor(db, session.user_id, session.exam_id),
    loadStartChecks(db, session, exam),
    loadControl(db, session.id),
  ]);
  const latest = [...latestAnswers(answers).values()].sort((a, b) => a.sequence - b.sequence);
  const saved: SavedAnswer[] = latest.map((row) => ({
    sectionId: row.section_id,
    questionId: row.question_id,
    value: readAnswerValue(row),
    sequence: row.sequence,
    clientSavedAt: iso(row.client_saved_at),
  }));
  return {
    id: session.id,
    examId: exam.id,
    examTitle: exam.title,
    practice: exam.kind === 'practice',
    status: session.status as SessionStatus,
    client: session.client,
    timeMultiplier,
    createdAt: iso(session.created_at),
    startedAt: isoOrNull(session.started_at),
    submittedAt: isoOrNull(session.submitted_at),
    sections: exam.sections.map((def) => {
      const row = sections.get(def.id);
      return {
        id: def.id,
        title: def.title,
        durationMinutes: def.durationMinutes,
        questionCount: def.questions.length,
        state: row?.state ?? 'not_opened',
        openedAt: isoOrNull(row?.opened_at ?? null),
        deadline: isoOrNull(row?.deadline ?? null),
        closedAt: isoOrNull(row?.closed_at ?? null),
        questions: row?.state === 'open' ? def.questions.map(toQuestionView) : null,
      };
    }),
    answers: saved,
    maxSequence: answers.reduce((max, row) => Math.max(max, row.sequence), 0),
    checks,
    control,
  };
}

/** Whether a proctor has the attempt paused, and the proctor's messages the learner has not acknowledged. */
export async function loadControl(db: Db, sessionId: string): Promise<SessionControl> {
  const [pause, unread, ended] = await Promise.all([
    openPause(db, sessionId),
    db.selectFrom('live_messages').selectAll().where('session_id', '=', sessionId).where('read_at', 'is', null).orderBy('sent_at').orderBy('id').execute(),
    db.selectFrom('monitor_events').select('reason').where('session_id', '=', sessionId).where('kind', '=', 'proctor_ended').where('source', '=', 'server').executeTakeFirst(),
  ]);
  return {
    pausedSince: pause ? iso(Number(pause.started_at)) : null,
    unreadMessages: unread.map((m) => ({ id: m.id, text: m.text, sentAt: iso(Number(m.sent_at)), readAt: null })),
    endedReason: ended?.reason ?? null,
  };
}

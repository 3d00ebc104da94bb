import type { AnswerValue, Receipt, SessionStatus } from '../../../shared/api';
import { isAnswered, scoreExam, type ScoreSummary } from '../../../shared/domain/grading';
import type { Db, LoadedSession } from './context';
import { allQuestions, latestAnswers, loadAnswers, readAnswerValue } from './view';

export async function latestValues(db: Db, sessionId: string): Promise<Map<string, AnswerValue>> {
  const latest = latestAnswers(await loadAnswers(db, sessionId));
  return new Map([...latest].map(([questionId, row]) => [questionId, readAnswerValue(row)]));
}

export function grade({ exam }: Pick<LoadedSession, 'exam'>, answers: ReadonlyMap<string, AnswerValue>): ScoreSummary {
  return scoreExam(allQuestions(exam), answers);
}

/** The receipt of a submitted attempt. Finals keep their score hidden until staff have reviewed them. */
export async function buildReceipt(db: Db, { session, exam }: LoadedSession): Promise<Receipt> {
  if (session.receipt_code === null || session.submitted_at === null) {
    throw new Error(`session ${session.id} has no receipt yet`);
  }
  const answers = await latestValues(db, session.id);
  const questions = allQuestions(exam);
  const practice = exam.kind === 'practice';
  return {
    sessionId: session.id,
    examTitle: exam.title,
    practice,
    status: session.status as SessionStatus,
    submittedAt: new Date(session.submitted_at).toISOString(),
    receiptCode: session.receipt_code,
    answeredCount: questions.filter((q) => isAnswered(answers.get(q.id))).length,
    questionCount: questions.length,
    autoScore:
      practice && session.score_points !== null
        ? {
            points: session.score_points,
            maxPoints: session.score_max_points ?? 0,
            percent: session.score_percent ?? 0,
            pendingManualPoints: session.score_pending_manual_points ?? 0,
          }
        : null,
    passPercent: exam.passPercent,
  };
}

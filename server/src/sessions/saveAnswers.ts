import { type SaveAnswersRequest, type SaveAnswersResponse, SavedAnswer, type SessionStatus } from '../../../shared/api';
import { acceptsWritesAt } from '../../../shared/domain/deadline';
import { isFinished, isInProgress } from '../../../shared/domain/sessionStatus';
import { findInvalidText } from '../http/text';
import { type Db, illegalTransition, type LoadedSession, recordEvent } from './context';
import { answerProblem } from './answerRules';
import { type AnswerRow, loadSections } from './view';

type Result = SaveAnswersResponse['results'][number];

interface Stored {
  section_id: string;
  question_id: string;
  value: string;
  client_saved_at: number;
}

const sameContent = (a: Stored, b: Stored): boolean =>
  a.section_id === b.section_id &&
  a.question_id === b.question_id &&
  a.value === b.value &&
  a.client_saved_at === b.client_saved_at;

const toStored = (entry: SavedAnswer): Stored => ({
  section_id: entry.sectionId,
  question_id: entry.questionId,
  // Re-serialised from the parsed value: key order is the schema's, so equal answers give equal text.
  value: JSON.stringify(entry.value),
  client_saved_at: Date.parse(entry.clientSavedAt),
});

type Checked = { ok: true; entry: SavedAnswer } | { ok: false; result: Result };

/**
 * Reads one entry of the loosely parsed batch: text a column cannot store (NUL, lone surrogates) is
 * `invalid_text`, any other mismatch with `SavedAnswer` is `invalid_entry`. The result echoes the
 * entry's sequence when it is an integer (else 0), so the client can settle it.
 */
function checkEntry(raw: unknown): Checked {
  const sequence =
    raw !== null && typeof raw === 'object' && Number.isInteger((raw as { sequence?: unknown }).sequence)
      ? (raw as { sequence: number }).sequence
      : 0;
  const text = findInvalidText(raw);
  if (text) return { ok: false, result: { sequence, outcome: 'rejected', code: 'invalid_text', message: `${text.path}: ${text.message}.` } };
  const parsed = SavedAnswer.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
    return { ok: false, result: { sequence, outcome: 'rejected', code: 'invalid_entry', message: `Not a valid answer entry (${issues.join('; ')}).` } };
  }
  return { ok: true, entry: parsed.data };
}

/**
 * Stores a batch of journal entries, each judged on its own (one result per entry, in order).
 * Idempotent by (session, sequence): a replay is `duplicate`, a different answer under a used
 * sequence is `sequence_conflict`. Runs inside the caller's transaction, after lazy expiry.
 */
export async function saveAnswers(
  trx: Db,
  { session, exam }: LoadedSession,
  request: SaveAnswersRequest,
  now: number,
  graceMs: number,
): Promise<SaveAnswersResponse> {
  const status = session.status as SessionStatus;
  // A finished attempt has every section closed: its late entries are refused one by one below
  // (`section_closed`), like late entries of a closed section, so the client settles them.
  if (!isInProgress(status) && !isFinished(status)) throw illegalTransition(status, 'save answers');

  const checked = request.answers.map(checkEntry);
  const sections = await loadSections(trx, session.id);
  const sequences = [...new Set(checked.flatMap((c) => (c.ok ? [c.entry.sequence] : [])))];
  const existing = new Map<number, Stored>();
  // `in ()` is not valid SQL everywhere: a batch without one valid entry looks nothing up.
  const rows: Pick<AnswerRow, 'sequence' | 'section_id' | 'question_id' | 'value' | 'client_saved_at'>[] =
    sequences.length === 0
      ? []
      : await trx
          .selectFrom('answers')
          .select(['sequence', 'section_id', 'question_id', 'value', 'client_saved_at'])
          .where('session_id', '=', session.id)
          .where('sequence', 'in', sequences)
          .execute();
  for (const row of rows) existing.set(row.sequence, row);

  const results: Result[] = [];
  for (const check of checked) {
    if (!check.ok) {
      results.push(check.result);
      continue;
    }
    const { entry } = check;
    const stored = toStored(entry);
    const reject = (code: Result['code'] & string, message: string): Result => ({
      sequence: entry.sequence,
      outcome: 'rejected',
      code,
      message,
    });
    const previous = existing.get(entry.sequence);
    if (previous) {
      results.push(
        sameContent(previous, stored)
          ? { sequence: entry.sequence, outcome: 'duplicate' }
          : reject('sequence_conflict', `Sequence ${entry.sequence} was already used for a different answer.`),
      );
      continue;
    }
    const sectionDef = exam.sections.find((s) => s.id === entry.sectionId);
    const section = sections.get(entry.sectionId);
    if (!sectionDef || !section) {
      results.push(reject('section_not_open', 'This section is not open, so the answer was not saved.'));
      continue;
    }
    if (section.state !== 'open' || !acceptsWritesAt(section.deadline, now, graceMs)) {
      results.push(reject('section_closed', 'This section closed before the answer arrived, so it was not saved.'));
      await recordEvent(trx, session.id, now, 'answer_rejected', {
        sequence: entry.sequence,
        sectionId: entry.sectionId,
        questionId: entry.questionId,
        code: 'section_closed',
        clientSavedAt: stored.client_saved_at,
      });
      continue;
    }
    const question = sectionDef.questions.find((q) => q.id === entry.questionId);
    if (!question) {
      results.push(reject('question_not_in_section', `Question ${entry.questionId} is not part of this section.`));
      continue;
    }
    const problem = answerProblem(question, entry.value);
    if (problem !== null) {
      results.push(reject('answer_invalid', problem));
      continue;
    }
    const inserted = await trx
      .insertInto('answers')
      .values({ session_id: session.id, sequence: entry.sequence, ...stored, received_at: now })
      .onConflict((oc) => oc.columns(['session_id', 'sequence']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      // Lost a race with a concurrent request carrying the same sequence: judge against what won.
      const winner = await trx
        .selectFrom('answers')
        .select(['section_id', 'question_id', 'value', 'client_saved_at'])
        .where('session_id', '=', session.id)
        .where('sequence', '=', entry.sequence)
        .executeTakeFirstOrThrow();
      existing.set(entry.sequence, winner);
      results.push(
        sameContent(winner, stored)
          ? { sequence: entry.sequence, outcome: 'duplicate' }
          : reject('sequence_conflict', `Sequence ${entry.sequence} was already used for a different answer.`),
      );
      continue;
    }
    existing.set(entry.sequence, stored);
    results.push({ sequence: entry.sequence, outcome: 'stored' });
  }
  return { results };
}

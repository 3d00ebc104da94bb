import type { AnswerValue, SavedAnswer } from '../../../../shared/api/sessions';
import type { JournalEntry } from '../../../../shared/ipc/contract';

export type AnswerMap = ReadonlyMap<string, AnswerValue>;

/**
 * What the learner sees after a reload: the server's latest answers, then the journal's unsent
 * entries replayed over them, so nothing typed while offline disappears. A journal entry older
 * than what the server holds for that question (a lost acknowledgement) does not win.
 */
export function mergeAnswers(server: readonly SavedAnswer[], pending: readonly JournalEntry[]): Map<string, AnswerValue> {
  const latest = new Map<string, { sequence: number; value: AnswerValue }>();
  for (const a of server) {
    const current = latest.get(a.questionId);
    if (!current || a.sequence > current.sequence) latest.set(a.questionId, { sequence: a.sequence, value: a.value });
  }
  for (const e of [...pending].sort((a, b) => a.sequence - b.sequence)) {
    const current = latest.get(e.questionId);
    if (!current || e.sequence > current.sequence) latest.set(e.questionId, { sequence: e.sequence, value: e.value });
  }
  return new Map([...latest].map(([id, v]) => [id, v.value]));
}

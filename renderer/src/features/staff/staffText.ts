import type { AttemptResultView, GradingProgress, MarkingState, StaffAuditEntry } from '../../../../shared/api/grading';
import type { SessionStatus } from '../../../../shared/api/exams';
import { formatPercent } from '../exams/learnerResult';

export const markingStateLabel: Record<MarkingState, string> = {
  ungraded: 'Not graded yet',
  second_mark_needed: 'Needs a second mark',
  disputed: 'Disputed: the two marks differ by more than the margin',
  graded: 'Graded',
};

/** "12 of 30 graded", with the disputed ones named when there are any. */
export function progressText(progress: GradingProgress): string {
  const base = `${progress.graded} of ${progress.responses} graded`;
  return progress.disputed > 0 ? `${base}, ${progress.disputed} disputed` : base;
}

/** A number of points as markers write them: 2, 2.5. */
export const formatPoints = (points: number): string => (Number.isInteger(points) ? String(points) : String(Math.round(points * 100) / 100));

export const reviewStatusLabel: Record<SessionStatus, string> = {
  created: 'Not started',
  ready_to_start: 'Not started',
  started: 'In progress',
  ready_to_submit: 'In progress',
  submitted: 'Waiting for review',
  second_review_required: 'Second review',
  verified: 'Verified',
  rejected: 'Rejected',
  error: 'With staff (not reviewable)',
  timed_out: 'Timed out, waiting for review',
};

export function pointsText(result: AttemptResultView): string {
  const points = `${formatPoints(result.points)} of ${formatPoints(result.maxPoints)}`;
  return result.state === 'pending' ? `${points} so far` : points;
}

export function outcomeText(result: AttemptResultView): string {
  if (result.state === 'pending') return `Grading pending (${result.ungraded} ${result.ungraded === 1 ? 'answer' : 'answers'})`;
  return result.passed ? 'Pass' : 'Fail';
}

export const percentText = (result: AttemptResultView): string => (result.percent === null ? '—' : `${formatPercent(result.percent)} %`);

export function formatWhen(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** One line of the activity list: who did what (a grade names the response, never the learner). */
export function auditText(entry: StaffAuditEntry): string {
  switch (entry.action) {
    case 'grade':
      return `${entry.actorName} graded response ${entry.responseId ?? '?'} to ${entry.questionId ?? '?'}: ${formatPoints(entry.points ?? 0)} points`;
    case 'release':
      return `${entry.actorName} released the results (${entry.count ?? 0} verified ${entry.count === 1 ? 'attempt' : 'attempts'})`;
    case 'export':
      return `${entry.actorName} downloaded the CSV (${entry.count ?? 0} ${entry.count === 1 ? 'row' : 'rows'})`;
    case 'live_message':
      return `${entry.actorName} sent a live message to a learner`;
    case 'live_pause':
      return `${entry.actorName} paused a live attempt`;
    case 'live_resume':
      return `${entry.actorName} resumed a live attempt`;
    case 'live_end':
      return `${entry.actorName} ended a live attempt`;
  }
}

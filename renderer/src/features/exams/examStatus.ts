import type { ExamSummary, SessionStatus } from '../../../../shared/api/exams';
import type { HostKind } from '../../../../shared/ipc/contract';
import { hasBegun, isFinished } from '../../../../shared/domain/sessionStatus';

export const statusLabel: Record<SessionStatus, string> = {
  created: 'Not started',
  ready_to_start: 'Not started',
  started: 'In progress',
  ready_to_submit: 'In progress',
  error: 'Interrupted — you can resume',
  submitted: 'Submitted',
  second_review_required: 'Submitted — under review',
  verified: 'Submitted — verified',
  rejected: 'Submitted — not accepted',
  timed_out: 'Time expired',
};

export type CardAction =
  | { readonly kind: 'start'; readonly label: 'Start' | 'Take again'; readonly to: string }
  | { readonly kind: 'resume'; readonly label: 'Resume'; readonly to: string }
  | { readonly kind: 'done'; readonly label: 'Submitted' };

/** The attempt's status in words; an attempt review sent to staff (`error` after submission) stays submitted. */
export function attemptLabel(attempt: { readonly status: SessionStatus; readonly submitted: boolean }): string {
  return attempt.status === 'error' && attempt.submitted ? 'Submitted — with programme staff' : statusLabel[attempt.status];
}

/** The card's one primary action, from the newest attempt. */
export function cardAction(exam: ExamSummary): CardAction {
  const attempt = exam.attempt;
  if (!attempt) return { kind: 'start', label: 'Start', to: `/exams/${exam.id}` };
  if (isFinished(attempt.status, { submitted: attempt.submitted })) {
    return exam.kind === 'practice' ? { kind: 'start', label: 'Take again', to: `/exams/${exam.id}` } : { kind: 'done', label: 'Submitted' };
  }
  // A session not yet started goes back through the start page (rules, Begin); a running one to the player.
  return { kind: 'resume', label: 'Resume', to: hasBegun(attempt.status) ? `/sessions/${attempt.sessionId}` : `/exams/${exam.id}` };
}

/** Why this app cannot start the exam right now, in words; null when it can. */
export function startBlocker(exam: ExamSummary, hostKind: HostKind, now: number): string | null {
  if (hostKind === 'web' && !exam.allowWebClient) {
    return exam.kind === 'final'
      ? 'Finals need the Invigil desktop app, which records and secures the exam. They cannot be taken in a web browser.'
      : 'This exam must be taken in the Invigil desktop app. It cannot be taken in a web browser.';
  }
  if (exam.windowOpensAt && Date.parse(exam.windowOpensAt) > now) return `This exam opens on ${formatDateTime(exam.windowOpensAt)}.`;
  if (exam.windowClosesAt && Date.parse(exam.windowClosesAt) <= now) return `This exam closed on ${formatDateTime(exam.windowClosesAt)}.`;
  return null;
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60 || m % 60 !== 0) return `${m} minutes`;
  const h = m / 60;
  return h === 1 ? '1 hour' : `${h} hours`;
}

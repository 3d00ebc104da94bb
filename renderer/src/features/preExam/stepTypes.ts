import type { ExamSummary } from '../../../../shared/api/exams';
import type { SessionView } from '../../../../shared/api/sessions';

/**
 * The contract between the pre-exam page (consent → system check → identity → translator → begin)
 * and each step. A step talks to the server itself (its own routes), hands the new SessionView up
 * when the server returns one, and calls `onDone` when the learner may move on. Steps move focus to
 * their own heading when they appear and announce results in a live region.
 */
export interface PreExamStepProps {
  readonly exam: ExamSummary;
  /** The session being prepared (status `created` or `ready_to_start`). */
  readonly session: SessionView;
  readonly onSessionChange: (session: SessionView) => void;
  readonly onDone: () => void;
}

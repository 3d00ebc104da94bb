import type { SessionStatus } from '../../../../shared/api/exams';
import type { ReviewEntryView } from '../../../../shared/api/review';

/** Highest risk first, then the longest waiting (the server's claim order). */
export function sortQueue(entries: readonly ReviewEntryView[]): ReviewEntryView[] {
  return [...entries].sort((a, b) => b.riskScore - a.riskScore || Date.parse(a.enqueuedAt) - Date.parse(b.enqueuedAt) || a.entryId.localeCompare(b.entryId));
}

export type RiskBand = 'high' | 'medium' | 'low';

/** A word beside the number (the score is 0..100), so the colour is never the only sign. */
export function riskBand(score: number): RiskBand {
  return score >= 50 ? 'high' : score >= 20 ? 'medium' : 'low';
}

export const formatRisk = (score: number): string => (Math.round(score * 10) / 10).toString();

export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

export function describeEntryState(e: Pick<ReviewEntryView, 'state' | 'holderId'>): string {
  if (e.state === 'claimed') return 'Being reviewed';
  if (e.state === 'done') return 'Decided';
  return 'Waiting';
}

const STATUS: Partial<Record<SessionStatus, string>> = {
  submitted: 'submitted',
  timed_out: 'timed out',
  second_review_required: 'needs second review',
  verified: 'verified',
  rejected: 'rejected',
  error: 'not reviewable',
};

export const describeStatus = (s: SessionStatus): string => STATUS[s] ?? s.replace(/_/g, ' ');

import type { ExamDefinition, ExamSummary, QuestionDefinition, QuestionView, SessionStatus } from '../../../shared/api';
import { type MonitoringProfile, relaxMonitoring } from '../../../shared/domain/accommodation';
import { resolvePolicy } from '../../../shared/domain/examPolicy';

export const parseInstant = (iso: string | undefined): number | null => (iso === undefined ? null : Date.parse(iso));

/** Copies only what a learner may see: answer keys, tolerances and rubrics stay behind. */
export function toQuestionView(q: QuestionDefinition): QuestionView {
  const base = { id: q.id, prompt: q.prompt, points: q.points };
  switch (q.kind) {
    case 'single_choice':
    case 'multiple_choice':
      return { ...base, kind: q.kind, options: q.options.map((o) => ({ id: o.id, text: o.text })) };
    case 'fill_in':
      return q.inputType === 'number'
        ? { ...base, kind: 'fill_in', inputType: 'number', ...(q.unit !== undefined ? { unit: q.unit } : {}) }
        : { ...base, kind: 'fill_in', inputType: 'text' };
    case 'short_answer':
      return { ...base, kind: 'short_answer', maxLength: q.maxLength };
  }
}

export function toExamSummary(
  exam: ExamDefinition,
  timeMultiplier: number,
  attempt: { sessionId: string; status: SessionStatus; submitted: boolean } | null,
  monitoringProfile: MonitoringProfile = 'standard',
): ExamSummary {
  const resolved = resolvePolicy(exam);
  // The learner's accommodation relaxes the capture thresholds their app applies (never tightens them).
  const policy = { ...resolved, monitoring: relaxMonitoring(resolved.monitoring, monitoringProfile) };
  return {
    id: exam.id,
    code: exam.code,
    title: exam.title,
    kind: exam.kind,
    description: exam.description,
    passPercent: exam.passPercent,
    windowOpensAt: exam.windowOpensAt ?? null,
    windowClosesAt: exam.windowClosesAt ?? null,
    allowWebClient: policy.allowWebClient,
    policy,
    timeMultiplier,
    sections: exam.sections.map((s) => ({
      id: s.id,
      title: s.title,
      durationMinutes: s.durationMinutes,
      questionCount: s.questions.length,
    })),
    attempt,
  };
}

import { useId } from 'react';
import type { GradingExamSummary } from '../../../../shared/api/grading';

interface ExamPickerProps {
  readonly exams: readonly Pick<GradingExamSummary, 'examId' | 'title' | 'code'>[];
  /** The chosen exam's id, or '' for none. */
  readonly value: string;
  readonly onChange: (examId: string) => void;
}

/** The staff console's exam choice (grading and results): a labelled select, nothing chosen at first. */
export function ExamPicker({ exams, value, onChange }: ExamPickerProps) {
  const id = useId();
  return (
    <div className="field field--inline staff__picker">
      <label htmlFor={id}>Exam</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose an exam</option>
        {exams.map((e) => (
          <option key={e.examId} value={e.examId}>
            {e.title} ({e.code})
          </option>
        ))}
      </select>
    </div>
  );
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExamDefinition, type QuestionDefinition } from '../../shared/api/exams';
import { gradeAnswer } from '../../shared/domain/grading';

// The seeded exams are data staff edit by hand: these checks keep an edit from breaking a key silently.
const dir = join(__dirname, '..', '..', 'assets', 'exams');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const exams = files.map((file) => ({ file, exam: ExamDefinition.parse(JSON.parse(readFileSync(join(dir, file), 'utf8'))) }));
const questions = exams.flatMap(({ file, exam }) => exam.sections.flatMap((s) => s.questions.map((q) => ({ file, q }))));

const keyAnswers = (q: QuestionDefinition): string[] | null => {
  if (q.kind !== 'fill_in') return null;
  return q.inputType === 'number' ? [String(q.answer), String(q.answer).replace('.', ',')] : q.acceptedAnswers;
};

describe('exam catalogue', () => {
  it('holds the trial test and the four proctored finals', () => {
    expect(exams.map((e) => e.exam.title).sort()).toEqual([
      'Management in Engineering: Strategy and Leadership',
      'Manufacturing Process Control II',
      'Manufacturing Systems II',
      'Sample Proctored Trial Test',
      'Supply Chains for Manufacturing: Capacity Analytics',
    ]);
  });

  it('names each file after its exam id, with unique section and question ids', () => {
    for (const { file, exam } of exams) {
      expect(file).toBe(`${exam.id}.json`);
      const sectionIds = exam.sections.map((s) => s.id);
      const questionIds = exam.sections.flatMap((s) => s.questions.map((q) => q.id));
      expect(new Set(sectionIds).size, file).toBe(sectionIds.length);
      expect(new Set(questionIds).size, file).toBe(questionIds.length);
    }
  });

  it('gives the trial test one 10-minute practice section of five questions', () => {
    const trial = exams.find((e) => e.exam.id === 'trial-test')!.exam;
    expect(trial.kind).toBe('practice');
    expect(trial.sections).toHaveLength(1);
    expect(trial.sections[0]!.durationMinutes).toBe(10);
    expect(trial.sections[0]!.questions).toHaveLength(5);
  });

  it('gives every final two 120-minute sections of at least six questions of all three kinds, pass mark 60 %', () => {
    for (const { file, exam } of exams.filter((e) => e.exam.kind === 'final')) {
      expect(exam.passPercent, file).toBe(60);
      expect(exam.sections, file).toHaveLength(2);
      for (const s of exam.sections) {
        expect(s.durationMinutes).toBe(120);
        expect(s.questions.length).toBeGreaterThanOrEqual(6);
        const kinds = new Set(s.questions.map((q) => q.kind));
        expect(kinds.has('single_choice') || kinds.has('multiple_choice'), `${file}/${s.id}`).toBe(true);
        expect(kinds.has('fill_in'), `${file}/${s.id}`).toBe(true);
        expect(kinds.has('short_answer'), `${file}/${s.id}`).toBe(true);
      }
    }
  });

  it.each(questions.map(({ file, q }) => [`${file}/${q.id}`, q] as const))('%s: its key scores full marks', (_name, q) => {
    if (q.kind === 'short_answer') {
      expect(q.rubric, 'staff need a rubric').toBeTruthy();
      return;
    }
    if (q.kind === 'single_choice' || q.kind === 'multiple_choice') {
      const optionIds = new Set(q.options.map((o) => o.id));
      expect(optionIds.size).toBe(q.options.length);
      const key = q.kind === 'single_choice' ? [q.correctOptionId] : q.correctOptionIds;
      for (const id of key) expect(optionIds.has(id), `key names option ${id}`).toBe(true);
      if (q.kind === 'multiple_choice') expect(q.prompt).toContain('Select all that apply');
      expect(gradeAnswer(q, { kind: 'choice', optionIds: key })).toMatchObject({ points: q.points });
      return;
    }
    for (const text of keyAnswers(q) ?? []) expect(gradeAnswer(q, { kind: 'text', text }), text).toMatchObject({ points: q.points });
  });
});

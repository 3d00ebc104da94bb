import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExamDefinition } from '../../../shared/api';

/** Thrown when a seed file is unreadable or invalid: start-up stops and names the file and the issue. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

async function jsonFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => join(dir, e.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function loadExamFile(file: string): Promise<ExamDefinition> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SeedError(`exam file ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = ExamDefinition.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new SeedError(`exam file ${file} is not a valid ExamDefinition: ${issues}`);
  }
  checkIntegrity(file, parsed.data);
  return parsed.data;
}

/** What the schema cannot say: ids unique within an exam, answer keys naming real options. */
function checkIntegrity(file: string, exam: ExamDefinition): void {
  const fail = (why: string): never => {
    throw new SeedError(`exam file ${file} is inconsistent: ${why}`);
  };
  const sectionIds = new Set<string>();
  const questionIds = new Set<string>();
  for (const section of exam.sections) {
    if (sectionIds.has(section.id)) fail(`section id ${section.id} appears twice`);
    sectionIds.add(section.id);
    for (const q of section.questions) {
      if (questionIds.has(q.id)) fail(`question id ${q.id} appears twice`);
      questionIds.add(q.id);
      if (q.kind === 'single_choice' || q.kind === 'multiple_choice') {
        const options = new Set(q.options.map((o) => o.id));
        if (options.size !== q.options.length) fail(`question ${q.id} repeats an option id`);
        const keys = q.kind === 'single_choice' ? [q.correctOptionId] : q.correctOptionIds;
        for (const key of keys) if (!options.has(key)) fail(`question ${q.id} has answer key ${key}, which is not an option`);
      }
    }
  }
  if (exam.windowOpensAt && exam.windowClosesAt && Date.parse(exam.windowOpensAt) >= Date.parse(exam.windowClosesAt)) {
    fail('windowOpensAt is not before windowClosesAt');
  }
}

/**
 * Loads `<examsDir>/*.json`, plus `<examsDir>/test/*.json` when asked (short exams for end-to-end tests).
 * Exam ids must be unique across all files.
 */
export async function loadExamDefinitions(examsDir: string, includeTest: boolean): Promise<ExamDefinition[]> {
  const files = [...(await jsonFiles(examsDir)), ...(includeTest ? await jsonFiles(join(examsDir, 'test')) : [])];
  const byId = new Map<string, string>();
  const exams: ExamDefinition[] = [];
  for (const file of files) {
    const exam = await loadExamFile(file);
    const other = byId.get(exam.id);
    if (other) throw new SeedError(`exam file ${file} reuses exam id ${exam.id} from ${other}`);
    byId.set(exam.id, file);
    exams.push(exam);
  }
  return exams;
}

import type { Kysely } from 'kysely';
import { ExamDefinition } from '../../../shared/api';
import type { Database } from '../db/schema';

/** Exam definitions live in the database (JSON), so every server instance sees the same content. */
export class ExamStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => number,
  ) {}

  /** Inserts or replaces each definition: content edits in the seed files land on the next start. */
  async upsert(definitions: readonly ExamDefinition[]): Promise<void> {
    const now = this.clock();
    for (const definition of definitions) {
      const json = JSON.stringify(definition);
      await this.db
        .insertInto('exams')
        .values({ id: definition.id, definition: json, updated_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ definition: json, updated_at: now }))
        .execute();
    }
  }

  async list(): Promise<ExamDefinition[]> {
    const rows = await this.db.selectFrom('exams').select(['definition']).orderBy('id').execute();
    return rows.map((row) => ExamDefinition.parse(JSON.parse(row.definition)));
  }

  async get(id: string, db: Kysely<Database> = this.db): Promise<ExamDefinition | null> {
    const row = await db.selectFrom('exams').select(['definition']).where('id', '=', id).executeTakeFirst();
    return row ? ExamDefinition.parse(JSON.parse(row.definition)) : null;
  }
}

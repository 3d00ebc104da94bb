import type { Kysely } from 'kysely';
import { ExamDefinition } from '../../../shared/api';
import type { Database } from '../db/schema';

/** Exam definitions live in the database (JSON), so every server instance sees the same content. */
export class ExamStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => number,
  ) {}

  /**
   * Makes the catalogue exactly these definitions: each is inserted or replaced (content edits in the
   * seed files land on the next start), and any other exam is unlisted — kept, since attempts refer
   * to it, but no longer offered to learners.
   */
  async upsert(definitions: readonly ExamDefinition[]): Promise<void> {
    const now = this.clock();
    for (const definition of definitions) {
      const json = JSON.stringify(definition);
      await this.db
        .insertInto('exams')
        .values({ id: definition.id, definition: json, updated_at: now, listed: 1 })
        .onConflict((oc) => oc.column('id').doUpdateSet({ definition: json, updated_at: now, listed: 1 }))
        .execute();
    }
    const ids = definitions.map((d) => d.id);
    await this.db
      .updateTable('exams')
      .set({ listed: 0 })
      .$if(ids.length > 0, (qb) => qb.where('id', 'not in', ids))
      .execute();
  }

  /** The exams offered to learners. */
  async list(): Promise<ExamDefinition[]> {
    const rows = await this.db.selectFrom('exams').select(['definition']).where('listed', '=', 1).orderBy('id').execute();
    return rows.map((row) => ExamDefinition.parse(JSON.parse(row.definition)));
  }

  /** Any exam, listed or not: staff review past attempts of an exam no longer offered. */
  async get(id: string, db: Kysely<Database> = this.db): Promise<ExamDefinition | null> {
    const row = await db.selectFrom('exams').select(['definition']).where('id', '=', id).executeTakeFirst();
    return row ? ExamDefinition.parse(JSON.parse(row.definition)) : null;
  }

  /** An exam offered to learners, or null (also for one unlisted): what learners may create, start or read. */
  async getListed(id: string, db: Kysely<Database> = this.db): Promise<ExamDefinition | null> {
    const row = await db.selectFrom('exams').select(['definition']).where('id', '=', id).where('listed', '=', 1).executeTakeFirst();
    return row ? ExamDefinition.parse(JSON.parse(row.definition)) : null;
  }

  /** What a user may see of an exam: staff any, learners only a listed one. */
  getFor(user: { readonly role: string }, id: string, db: Kysely<Database> = this.db): Promise<ExamDefinition | null> {
    return user.role === 'learner' ? this.getListed(id, db) : this.get(id, db);
  }
}

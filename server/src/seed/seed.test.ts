import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExamDefinition } from '../../../shared/api';
import { buildApp, DEFAULT_EXAMS_DIR } from '../app';
import { createTestServer, describeEachDialect, FIXTURE_EXAMS_DIR } from '../../test/helper';
import { DEMO_ACCOUNTS } from './accounts';

const idsIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { id: string }).id);

describeEachDialect('seed', (dialect) => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'invigil-seed-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('loads every assets/exams/*.json, and assets/exams/test/*.json with the test seed', async () => {
    const t = await createTestServer(dialect, { examsDir: DEFAULT_EXAMS_DIR, seed: ['demo', 'test'] });
    try {
      const expected = [...idsIn(DEFAULT_EXAMS_DIR), ...idsIn(join(DEFAULT_EXAMS_DIR, 'test'))].sort();
      expect(expected).toContain('e2e-short');
      expect(expected).toContain('trial-test');
      const token = (await t.signIn('learner')).accessToken;
      const listed = (await t.call('listExams', { token })).body.exams.map((e: { id: string }) => e.id).sort();
      expect(listed).toEqual(expected);
      const short = (await t.call('listExams', { token })).body.exams.find((e: { id: string }) => e.id === 'e2e-short');
      expect(short).toMatchObject({ kind: 'practice', allowWebClient: true, title: 'E2E timing check' });
      expect(short.sections).toEqual([{ id: 'timing', title: 'Timing check', durationMinutes: 0.5, questionCount: 3 }]);
      // The test seed's learner carries the name printed on the fixture ID card.
      const kwame = await t.call('signIn', { body: { email: 'kwame@invigil.test', password: 'learner-test-kwame' } });
      expect(kwame.status).toBe(200);
      expect(kwame.body.user).toMatchObject({ fullName: 'Kwame Mensah', role: 'learner' });
    } finally {
      await t.close();
    }
  });

  it('leaves out the test exams without the test seed, and demo accounts without the demo seed', async () => {
    const t = await createTestServer(dialect, { examsDir: DEFAULT_EXAMS_DIR, seed: [] });
    try {
      const exams = await t.db.selectFrom('exams').select('id').execute();
      expect(exams.map((e) => e.id)).not.toContain('e2e-short');
      expect(exams).toHaveLength(idsIn(DEFAULT_EXAMS_DIR).length);
      expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('upserts on every start: edited content lands, demo accounts are not duplicated', async () => {
    const dir = join(scratch, `upsert-${dialect}`);
    mkdirSync(dir);
    const original = JSON.parse(readFileSync(join(FIXTURE_EXAMS_DIR, 'final-mini.json'), 'utf8')) as ExamDefinition;
    writeFileSync(join(dir, 'final-mini.json'), JSON.stringify(original));
    const t = await createTestServer(dialect, { examsDir: dir });
    try {
      writeFileSync(join(dir, 'final-mini.json'), JSON.stringify({ ...original, title: 'Final mini, revised' }));
      // A second app on the same database plays the part of a restart.
      const again = await buildApp({ db: t.db, dataDir: t.dataDir, jwtSecret: 'x'.repeat(32), examsDir: dir, seed: ['demo'], clock: t.clock.read });
      await again.close();
      const token = (await t.signIn('learner')).accessToken;
      const exams = (await t.call('listExams', { token })).body.exams;
      expect(exams.map((e: { title: string }) => e.title)).toEqual(['Final mini, revised']);
      expect(await t.db.selectFrom('users').select('email').execute()).toHaveLength(DEMO_ACCOUNTS.length);
    } finally {
      await t.close();
    }
  });

  it('unlists an exam dropped from the seed set at the next start, keeping its attempts', async () => {
    const t = await createTestServer(dialect, { examsDir: DEFAULT_EXAMS_DIR, seed: ['demo', 'test'] });
    try {
      // Restarted without the test seed (a developer's data folder used once by the e2e tests).
      const again = await buildApp({ db: t.db, dataDir: t.dataDir, jwtSecret: 'x'.repeat(32), examsDir: DEFAULT_EXAMS_DIR, seed: ['demo'], clock: t.clock.read });
      await again.close();
      const token = (await t.signIn('learner')).accessToken;
      const listed = (await t.call('listExams', { token })).body.exams.map((e: { id: string }) => e.id).sort();
      expect(listed).toEqual(idsIn(DEFAULT_EXAMS_DIR).sort());
      expect((await t.db.selectFrom('exams').select('id').where('id', '=', 'e2e-short').execute()).length).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('refuses to start on an invalid exam file, naming the file and the problem', async () => {
    const dir = join(scratch, `invalid-${dialect}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken-final.json'), JSON.stringify({ id: 'broken', kind: 'final', sections: [] }));
    await expect(createTestServer(dialect, { examsDir: dir })).rejects.toThrow(/broken-final\.json.*(title|sections)/);
  });

  it('refuses an answer key that names no option, and malformed JSON', async () => {
    const dir = join(scratch, `inconsistent-${dialect}`);
    mkdirSync(dir);
    const exam = JSON.parse(readFileSync(join(FIXTURE_EXAMS_DIR, 'final-mini.json'), 'utf8'));
    exam.sections[0].questions[0].correctOptionId = 'maybe';
    writeFileSync(join(dir, 'bad-key.json'), JSON.stringify(exam));
    await expect(createTestServer(dialect, { examsDir: dir })).rejects.toThrow(/bad-key\.json.*fq1.*maybe/);
    rmSync(join(dir, 'bad-key.json'));
    writeFileSync(join(dir, 'truncated.json'), '{"id": "x",');
    await expect(createTestServer(dialect, { examsDir: dir })).rejects.toThrow(/truncated\.json is not valid JSON/);
  });
});

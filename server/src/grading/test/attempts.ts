import type { Kysely } from 'kysely';
import { expect, vi } from 'vitest';
import { ISO, startAttempt, type TestServer } from '../../../test/helper';
import type { ReviewDatabase } from '../../review/schema';

/** `final-mini` (fq1: single choice, 1 point; fq2: short answer, 3 points): start, answer, submit. */
export async function sitFinal(t: TestServer, token: string, answers: { fq1?: string; fq2?: string }): Promise<string> {
  const sessionId = await startAttempt(t, token, 'final-mini');
  const opened = await t.call('openSection', { token, params: { sessionId, sectionId: 'f1' }, body: {} });
  if (opened.status !== 200) throw new Error(`open failed: ${opened.text}`);
  const values = [
    ...(answers.fq1 !== undefined ? [{ questionId: 'fq1', value: { kind: 'choice', optionIds: [answers.fq1] } }] : []),
    ...(answers.fq2 !== undefined ? [{ questionId: 'fq2', value: { kind: 'text', text: answers.fq2 } }] : []),
  ].map((a, i) => ({ ...a, sectionId: 'f1', sequence: i + 1, clientSavedAt: ISO(t.clock.now) }));
  if (values.length > 0) await t.call('saveAnswers', { token, params: { sessionId }, body: { answers: values } });
  t.clock.advance(60_000);
  const submitted = await t.call('submitSession', { token, params: { sessionId }, body: {} });
  if (submitted.status !== 200) throw new Error(`submit failed: ${submitted.text}`);
  return sessionId;
}

/** Waits for the review queue to hold `count` entries, then has the proctor decide each one `clean` (verified). */
export async function verifyAll(t: TestServer, proctor: string, count: number): Promise<void> {
  const reviewDb = t.db as unknown as Kysely<ReviewDatabase>;
  await vi.waitFor(async () => expect(await reviewDb.selectFrom('review_queue').select('id').execute()).toHaveLength(count));
  for (let i = 0; i < count; i++) {
    const claim = await t.call('claimNext', { token: proctor, body: { leaseSeconds: 60 } });
    expect(claim.status, claim.text).toBe(200);
    const decided = await t.call('decide', { token: proctor, params: { entryId: claim.body.claim.entryId }, body: { decision: 'clean' } });
    expect(decided.status, decided.text).toBe(200);
  }
}

import { postJson, sessionIdFromUrl, signInApi, getSession } from '../helpers/api';
import { demoLearner, expect, signIn, test } from '../helpers/fixtures';
import { answerEveryQuestion, beginExam, openSection } from '../helpers/flows';

// `e2e-short` is seeded only with INVIGIL_SEED=test: one 30-second section.
test('a section whose deadline passes is submitted automatically and later writes are refused', async ({ page, stack }) => {
  await signIn(page, stack);
  await beginExam(page, 'E2E timing check');
  await openSection(page);
  await answerEveryQuestion(page, 'before the deadline');
  const sessionId = sessionIdFromUrl(page.url());

  await expect(page.getByText(/Time is up/)).toBeVisible({ timeout: 45_000 });
  await expect(page.getByRole('timer')).toHaveCount(0);

  const token = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);
  const session = await getSession(stack.server.url, token, sessionId);
  const section = session.sections[0]!;
  expect(['expired', 'submitted']).toContain(section.state);
  expect(session.answers.length).toBe(3);

  // A write after deadline + grace is refused with a code, and nothing changes.
  const late = await postJson(stack.server.url, token, `/api/sessions/${sessionId}/answers`, {
    answers: [
      {
        sectionId: section.id,
        questionId: session.answers[0]!.questionId,
        value: { kind: 'text', text: 'too late' },
        sequence: session.maxSequence + 1,
        clientSavedAt: new Date().toISOString(),
      },
    ],
  });
  expect(late.status).toBe(200);
  expect(late.json).toMatchObject({ results: [{ outcome: 'rejected', code: 'section_closed' }] });
  const unchanged = await getSession(stack.server.url, token, sessionId);
  expect(unchanged.answers).toEqual(session.answers);
});

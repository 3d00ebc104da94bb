import { getSession, sessionIdFromUrl, signInApi } from '../helpers/api';
import { demoLearner, expect, signIn, test } from '../helpers/fixtures';
import { answerEveryQuestion, beginExam, expectAllSaved, expectAnswersShown, openSection, saveStatus } from '../helpers/flows';

test('answers typed while the server is down are kept on the computer and arrive when it is back', async ({ page, stack }) => {
  await signIn(page, stack);
  await beginExam(page, 'Sample Proctored Trial Test');
  await openSection(page);
  const sessionId = sessionIdFromUrl(page.url());

  await stack.stopServer();
  const given = await answerEveryQuestion(page, 'typed offline');
  await expect(saveStatus(page)).toHaveText(/Offline — \d+ changes? kept on this computer/, { timeout: 20_000 });

  await stack.startServerAgain();
  await expectAllSaved(page);

  const token = await signInApi(stack.server.url, demoLearner.email, demoLearner.password);
  const session = await getSession(stack.server.url, token, sessionId);
  expect(session.answers).toHaveLength(5);
  const texts = session.answers.flatMap((a) => (a.value.kind === 'text' ? [a.value.text] : []));
  expect(texts.some((t) => t.startsWith('typed offline'))).toBe(true);

  await page.reload();
  await expectAnswersShown(page, given);
});

import { expect, test, type Page } from '@playwright/test';
import { nativePasteScript } from '../../electron/adapters/clipboard';

// Chromium on Linux pastes the PRIMARY selection on a middle click, firing a `paste` event. The
// desktop lockdown runs nativePasteScript in an isolated world of the exam page and the translator;
// this checks in real Chromium (no server needed) that it stops that paste, that the page's own
// listeners never hear it, and that typed-in text (the isolated clipboard's insertText) still lands.

const page_ = `<p id="question" style="font: 32px sans-serif">Takt time of line B</p>
<textarea id="answer" style="width: 400px; height: 120px"></textarea>`;

async function selectQuestionWord(page: Page): Promise<void> {
  const box = (await page.locator('#question').boundingBox())!;
  // A mouse selection fills the PRIMARY selection on Linux.
  await page.mouse.dblclick(box.x + 20, box.y + box.height / 2);
  expect(await page.evaluate(() => String(getSelection()))).toBe('Takt');
}

async function middleClickAnswer(page: Page): Promise<void> {
  const box = (await page.locator('#answer').boundingBox())!;
  await page.mouse.click(box.x + 30, box.y + 30, { button: 'middle' });
  await page.waitForTimeout(200);
}

/** An isolated world of the page's main frame, like Electron's world for executeJavaScriptInIsolatedWorld: one per page, reused. */
async function isolatedWorld(page: Page): Promise<(code: string) => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'invigil-clipboard' });
  return async (code) => {
    const result = await cdp.send('Runtime.evaluate', { expression: code, contextId: executionContextId });
    expect(result.exceptionDetails).toBeUndefined();
  };
}

test.skip(process.platform !== 'linux', 'middle-click paste of the selection is a Linux (X11) behaviour');

test('a middle click pastes the selection into a field unless the native paste is switched off', async ({ page }) => {
  await page.setContent(page_);
  await page.evaluate(() => {
    (window as unknown as { heard: string[] }).heard = [];
    document.getElementById('answer')!.addEventListener('paste', () => (window as unknown as { heard: string[] }).heard.push('paste'));
  });
  const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard);

  // Without the block, this Chromium does paste: the check below means something.
  await selectQuestionWord(page);
  await middleClickAnswer(page);
  expect(await page.locator('#answer').inputValue()).toBe('Takt');
  expect(await heard()).toEqual(['paste']);

  await page.locator('#answer').fill('');
  const runIsolated = await isolatedWorld(page);
  await runIsolated(nativePasteScript(true));
  await selectQuestionWord(page);
  await middleClickAnswer(page);
  expect(await page.locator('#answer').inputValue()).toBe('');
  expect(await heard()).toEqual(['paste']); // the page heard nothing more

  // The isolated clipboard's paste is insertText: it still types into the field.
  await page.locator('#answer').focus();
  await page.keyboard.insertText('from the exam clipboard');
  expect(await page.locator('#answer').inputValue()).toBe('from the exam clipboard');

  // Switched back on at release: middle-click paste works again.
  await page.locator('#answer').fill('');
  await runIsolated(nativePasteScript(false));
  await selectQuestionWord(page);
  await middleClickAnswer(page);
  expect(await page.locator('#answer').inputValue()).toBe('Takt');
});

// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { FakeSystemClipboard, FakeWebContents } from '../test/fakeElectron';
import { CLIPBOARD_WORLD_ID, IsolatedClipboard, nativePasteScript } from './clipboard';
import { guardKeyboard, type GuardedContents } from './keyboard';

const guard = (contents: FakeWebContents) =>
  guardKeyboard(contents as unknown as GuardedContents, {
    clipboard: new IsolatedClipboard({ system: new FakeSystemClipboard(), log: silentLogger }),
    report: () => undefined,
  });

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('guardKeyboard: pasting without keys', () => {
  it('keeps the middle button from the page (it pastes the Linux selection), and only while guarded', () => {
    const contents = new FakeWebContents();
    const unguard = guard(contents);
    expect(contents.mouse('mouseDown', 'middle')).toBe(true);
    expect(contents.mouse('mouseUp', 'middle')).toBe(true);
    expect(contents.mouse('mouseDown', 'left')).toBe(false);
    expect(contents.mouse('mouseUp', 'left')).toBe(false);
    expect(contents.mouse('mouseUp', 'right')).toBe(false);
    unguard();
    expect(contents.count('before-mouse-event')).toBe(0);
    expect(contents.mouse('mouseUp', 'middle')).toBe(false);
  });

  it("turns the page's native paste off in the clipboard's world, again after every load, and back on at the end", async () => {
    const contents = new FakeWebContents();
    const unguard = guard(contents);
    await flush();
    expect(contents.nativePaste).toEqual([{ worldId: CLIPBOARD_WORLD_ID, block: true }]);
    contents.fire('dom-ready'); // the page reloaded (crash recovery) or the translator navigated
    expect(contents.nativePaste.map((s) => s.block)).toEqual([true, true]);
    unguard();
    expect(contents.nativePaste.map((s) => s.block)).toEqual([true, true, false]);
    contents.fire('dom-ready');
    expect(contents.nativePaste).toHaveLength(3);
    expect(contents.scripts).toEqual([]); // nothing else ran in the page
  });

  it('leaves a page that is gone alone', () => {
    const contents = new FakeWebContents();
    contents.destroyed = true;
    guard(contents)();
    expect(contents.nativePaste).toEqual([]);
  });
});

describe('nativePasteScript in a page', () => {
  const run = (code: string) => new Function(code)() as unknown;

  function page() {
    document.body.innerHTML = '<textarea id="answer"></textarea>';
    const answer = document.getElementById('answer') as HTMLTextAreaElement;
    const heard: string[] = [];
    answer.addEventListener('paste', () => heard.push('paste'));
    const paste = () => {
      const event = new Event('paste', { bubbles: true, cancelable: true });
      answer.dispatchEvent(event);
      return event.defaultPrevented;
    };
    const mouseUp = (button: number) => {
      const event = new MouseEvent('mouseup', { bubbles: true, cancelable: true, button });
      answer.dispatchEvent(event);
      return event.defaultPrevented;
    };
    return { heard, paste, mouseUp };
  }

  it('cancels every paste before the page hears it and the middle button’s release, until switched back on', () => {
    const p = page();
    run(nativePasteScript(true));
    run(nativePasteScript(true)); // a second run changes nothing
    expect(p.paste()).toBe(true);
    expect(p.heard).toEqual([]);
    expect(p.mouseUp(1)).toBe(true);
    expect(p.mouseUp(0)).toBe(false);

    run(nativePasteScript(false));
    expect(p.paste()).toBe(false);
    expect(p.heard).toEqual(['paste']);
    expect(p.mouseUp(1)).toBe(false);
    run(nativePasteScript(false)); // nothing to undo: no error
  });
});

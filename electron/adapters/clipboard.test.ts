import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { FakeSystemClipboard, FakeWebContents } from '../test/fakeElectron';
import { IsolatedClipboard, MAX_CLIPBOARD_CHARS, selectionScript } from './clipboard';

// jsdom ships no type declarations; this is the part the test uses.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
  JSDOM: new (html: string, options: { runScripts: 'outside-only' }) => { window: Window & typeof globalThis & { eval(code: string): unknown } };
};

/** Runs the selection script in a real DOM (jsdom), as Chromium would run it in the page's isolated world. */
function page(html: string) {
  const dom = new JSDOM(`<!doctype html><body>${html}</body>`, { runScripts: 'outside-only' });
  const deleted: string[] = [];
  // jsdom has no editing commands; record what the script asks for.
  dom.window.document.execCommand = (command: string) => {
    deleted.push(command);
    return true;
  };
  return { dom, document: dom.window.document, run: (cut: boolean) => dom.window.eval(selectionScript(cut)) as string, deleted };
}

describe('selection script', () => {
  it('reads the selected part of a focused text field, and deletes it for a cut', () => {
    const { document, run, deleted } = page('<textarea id="a">The answer is forty-two.</textarea>');
    const field = document.getElementById('a') as HTMLTextAreaElement;
    field.focus();
    field.setSelectionRange(14, 24);
    expect(run(false)).toBe('forty-two.');
    expect(deleted).toEqual([]);
    expect(run(true)).toBe('forty-two.');
    expect(deleted).toEqual(['delete']);
  });

  it('never reads a password field, and does not delete from a read-only one', () => {
    const pw = page('<input id="p" type="password" value="hunter2">');
    const input = pw.document.getElementById('p') as HTMLInputElement;
    input.focus();
    input.select();
    expect(pw.run(false)).toBe('');
    const ro = page('<input id="r" value="fixed text" readonly>');
    const fixed = ro.document.getElementById('r') as HTMLInputElement;
    fixed.focus();
    fixed.select();
    expect(ro.run(true)).toBe('fixed text');
    expect(ro.deleted).toEqual([]);
  });

  it('reads the page selection outside fields, without deleting exam text on cut', () => {
    const { dom, document, run, deleted } = page('<p id="q">Compute the takt time.</p>');
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('q')!);
    dom.window.getSelection()!.addRange(range);
    expect(run(true)).toBe('Compute the takt time.');
    expect(deleted).toEqual([]);
  });
});

describe('IsolatedClipboard', () => {
  it('clears the system clipboard and the Linux selection, and survives a platform without one', () => {
    const system = new FakeSystemClipboard();
    new IsolatedClipboard({ system, log: silentLogger }).clearSystem();
    expect([system.clears, system.selectionClears]).toEqual([1, 1]);
    const bare = { clear: () => undefined };
    expect(() => new IsolatedClipboard({ system: bare, log: silentLogger }).clearSystem()).not.toThrow();
  });

  it('still clears the Linux selection when clearing the system clipboard fails', () => {
    let selectionClears = 0;
    const system = {
      clear: () => {
        throw new Error('clipboard busy');
      },
      selection: { clear: () => (selectionClears += 1) },
    };
    expect(() => new IsolatedClipboard({ system, log: silentLogger }).clearSystem()).not.toThrow();
    expect(selectionClears).toBe(1);
  });

  it('keeps what was copied when the next copy selects nothing, and caps the buffer', async () => {
    const clipboard = new IsolatedClipboard({ system: new FakeSystemClipboard(), log: silentLogger });
    const contents = new FakeWebContents();
    contents.selection = 'x'.repeat(MAX_CLIPBOARD_CHARS + 10);
    await clipboard.perform('copy', contents);
    contents.selection = '';
    await clipboard.perform('copy', contents);
    await clipboard.perform('paste', contents);
    expect(contents.inserted.map((t) => t.length)).toEqual([MAX_CLIPBOARD_CHARS]);
  });

  it('does nothing for a page that is gone', async () => {
    const clipboard = new IsolatedClipboard({ system: new FakeSystemClipboard(), log: silentLogger });
    const contents = new FakeWebContents();
    contents.destroyed = true;
    expect(await clipboard.perform('copy', contents)).toBe(false);
    expect(contents.scripts).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { classifyKey, type KeyInput } from './shortcuts';

const key = (code: string, mods: Partial<KeyInput> = {}, keyName?: string): KeyInput => ({
  type: 'keyDown',
  key: keyName ?? (code.startsWith('Key') ? code.slice(3).toLowerCase() : code),
  code,
  control: false,
  meta: false,
  shift: false,
  alt: false,
  ...mods,
});

describe('classifyKey', () => {
  it.each([
    ['F12', key('F12'), 'devtools'],
    ['Ctrl+Shift+I', key('KeyI', { control: true, shift: true }), 'devtools'],
    ['Cmd+Alt+I', key('KeyI', { meta: true, alt: true }), 'devtools'],
    ['Ctrl+Shift+J', key('KeyJ', { control: true, shift: true }), 'devtools'],
    ['Cmd+Shift+C', key('KeyC', { meta: true, shift: true }), 'devtools'],
    ['F5', key('F5'), 'reload'],
    ['Ctrl+R', key('KeyR', { control: true }), 'reload'],
    ['Cmd+Shift+R', key('KeyR', { meta: true, shift: true }), 'reload'],
    ['Ctrl+P', key('KeyP', { control: true }), 'print'],
    ['Cmd+N', key('KeyN', { meta: true }), 'new_window'],
    ['Ctrl+T', key('KeyT', { control: true }), 'new_window'],
    ['Ctrl+S', key('KeyS', { control: true }), 'save_page'],
    ['Cmd+Q', key('KeyQ', { meta: true }), 'quit'],
    ['Cmd+H', key('KeyH', { meta: true }), 'hide_window'],
    ['F11', key('F11'), 'fullscreen_toggle'],
    ['Ctrl+Cmd+F (macOS full screen)', key('KeyF', { control: true, meta: true }), 'fullscreen_toggle'],
    ['Ctrl+Cmd+Shift+F', key('KeyF', { control: true, meta: true, shift: true }), 'fullscreen_toggle'],
    ['PrintScreen', key('PrintScreen'), 'screenshot'],
  ])('refuses %s as %s', (_name, input, action) => {
    expect(classifyKey(input)).toEqual({ kind: 'block', action });
  });

  it('matches letters by physical key, whatever the layout calls them', () => {
    // On an AZERTY or Cyrillic layout `key` differs, `code` does not.
    expect(classifyKey(key('KeyI', { control: true, shift: true }, 'ш'))).toEqual({ kind: 'block', action: 'devtools' });
  });

  it.each([
    ['Ctrl+C', key('KeyC', { control: true }), 'copy'],
    ['Cmd+X', key('KeyX', { meta: true }), 'cut'],
    ['Ctrl+V', key('KeyV', { control: true }), 'paste'],
    ['Ctrl+Shift+V', key('KeyV', { control: true, shift: true }), 'paste'],
    ['Ctrl+Insert', key('Insert', { control: true }), 'copy'],
    ['Shift+Insert', key('Insert', { shift: true }), 'paste'],
    ['Shift+Delete', key('Delete', { shift: true }), 'cut'],
    ['Cmd+Opt+Shift+V (Paste and Match Style)', key('KeyV', { meta: true, alt: true, shift: true }), 'paste'],
    ['Ctrl+Alt+V', key('KeyV', { control: true, alt: true }), 'paste'],
    ['Cmd+Opt+V', key('KeyV', { meta: true, alt: true }), 'paste'],
    ['Cmd+Shift+V', key('KeyV', { meta: true, shift: true }), 'paste'],
    ['Ctrl+Alt+Shift+V', key('KeyV', { control: true, alt: true, shift: true }), 'paste'],
    ['Ctrl+Alt+X', key('KeyX', { control: true, alt: true }), 'cut'],
    ['Cmd+Shift+X', key('KeyX', { meta: true, shift: true }), 'cut'],
    ['Cmd+Opt+Shift+X', key('KeyX', { meta: true, alt: true, shift: true }), 'cut'],
    ['the hardware Copy key', key('Copy', {}, 'Copy'), 'copy'],
    ['the hardware Cut key', key('Cut', {}, 'Cut'), 'cut'],
    ['the hardware Paste key', key('Paste', {}, 'Paste'), 'paste'],
    ['Shift+Paste key', key('Paste', { shift: true }, 'Paste'), 'paste'],
    ['a key reported only by name as Paste', key('', {}, 'Paste'), 'paste'],
  ])('routes %s to the isolated clipboard (%s)', (_name, input, operation) => {
    expect(classifyKey(input)).toEqual({ kind: 'clipboard', operation });
  });

  it('lets typing, selection, navigation keys and zoom through, and ignores key-up', () => {
    for (const input of [
      key('KeyC'),
      key('KeyA', { control: true }),
      key('KeyZ', { control: true }),
      key('Tab'),
      key('Delete'),
      key('Equal', { control: true }, '='),
      key('Digit0', { control: true }, '0'),
      key('Escape'),
      key('KeyF', { control: true }),
      key('KeyF', { meta: true }),
      key('KeyV'),
      key('KeyV', { alt: true }),
      key('KeyV', { shift: true }),
      { ...key('F12'), type: 'keyUp' },
    ]) {
      expect(classifyKey(input)).toEqual({ kind: 'allow' });
    }
  });
});

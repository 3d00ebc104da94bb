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
      { ...key('F12'), type: 'keyUp' },
    ]) {
      expect(classifyKey(input)).toEqual({ kind: 'allow' });
    }
  });
});

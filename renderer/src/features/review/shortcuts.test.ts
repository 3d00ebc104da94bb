import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyLike } from './shortcuts';

const el = (tagName: string, extra: { role?: string; inDialog?: boolean; editable?: boolean } = {}) => ({
  tagName,
  isContentEditable: extra.editable ?? false,
  getAttribute: (n: string) => (n === 'role' ? (extra.role ?? null) : null),
  closest: (selector: string) => (extra.inDialog && selector.includes('dialog') ? {} : null),
});
const key = (k: string, target: unknown = el('DIV'), mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: target as EventTarget,
  ...mods,
});

describe('review shortcuts', () => {
  it('maps the documented keys', () => {
    expect([' ', 'k', ']', 'n', '[', 'p', 'j', 'l', 'm', 'M', 'x'].map((k) => shortcutFor(key(k)))).toEqual([
      'toggle-play',
      'toggle-play',
      'next-flag',
      'next-flag',
      'previous-flag',
      'previous-flag',
      'back-5',
      'forward-5',
      'mark',
      'mark',
      null,
    ]);
  });

  it('leaves typing alone: fields, selects, editable text', () => {
    for (const target of [el('INPUT'), el('TEXTAREA'), el('SELECT'), el('DIV', { editable: true })]) {
      expect(shortcutFor(key('m', target))).toBeNull();
      expect(shortcutFor(key(' ', target))).toBeNull();
    }
  });

  it('leaves Space to buttons and the video, and everything to an open dialog', () => {
    expect(shortcutFor(key(' ', el('BUTTON')))).toBeNull();
    expect(shortcutFor(key(']', el('BUTTON')))).toBe('next-flag');
    expect(shortcutFor(key(' ', el('VIDEO')))).toBeNull();
    expect(shortcutFor(key('m', el('BUTTON', { inDialog: true })))).toBeNull();
  });

  it('ignores keys with Ctrl, Cmd or Alt (browser and system shortcuts)', () => {
    expect(shortcutFor(key('k', el('DIV'), { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('m', el('DIV'), { metaKey: true }))).toBeNull();
    expect(shortcutFor(key('n', el('DIV'), { altKey: true }))).toBeNull();
  });
});

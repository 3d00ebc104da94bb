import { describe, expect, it } from 'vitest';
import { EXAM_LOCKED_KEYS, lockExamKeys, unlockExamKeys, type KeyboardLockApi } from './keyboardLock';

/** A fake `navigator.keyboard` that records calls. */
function fakeKeyboard(lock: KeyboardLockApi['lock']): KeyboardLockApi & { readonly locked: string[][]; unlocked: number } {
  const fake = {
    locked: [] as string[][],
    unlocked: 0,
    lock(keys?: string[]) {
      fake.locked.push(keys ?? []);
      return lock!.call(fake, keys);
    },
    unlock() {
      fake.unlocked += 1;
    },
  };
  return fake;
}

describe('the Keyboard Lock API', () => {
  it('asks for the system keys the OS would act on, and gives them back', async () => {
    const keyboard = fakeKeyboard(async () => undefined);
    expect(await lockExamKeys(keyboard)).toBe(true);
    expect(keyboard.locked).toEqual([['Escape', 'Tab', 'MetaLeft', 'MetaRight']]);
    unlockExamKeys(keyboard);
    expect(keyboard.unlocked).toBe(1);
  });

  it('never holds Alt (AltGr letters, Alt+Shift input switching)', () => {
    expect(EXAM_LOCKED_KEYS.filter((key) => key.startsWith('Alt'))).toEqual([]);
  });

  it('is false, without throwing, where there is no API or the browser refuses', async () => {
    expect(await lockExamKeys(undefined)).toBe(false);
    expect(await lockExamKeys(null)).toBe(false);
    expect(await lockExamKeys({})).toBe(false);
    expect(await lockExamKeys({ lock: 'yes' } as unknown as KeyboardLockApi)).toBe(false);
    expect(await lockExamKeys(fakeKeyboard(() => Promise.reject(new DOMException('Not full screen', 'InvalidStateError'))))).toBe(false);
    expect(
      await lockExamKeys(
        fakeKeyboard(() => {
          throw new TypeError('Illegal invocation');
        }),
      ),
    ).toBe(false);
  });

  it('calls lock on the keyboard object itself (a detached method would throw in Chromium)', async () => {
    const keyboard = {
      granted: false,
      lock(this: { granted: boolean } | undefined) {
        if (this === undefined) throw new TypeError('Illegal invocation');
        this.granted = true;
        return Promise.resolve();
      },
    };
    expect(await lockExamKeys(keyboard)).toBe(true);
    expect(keyboard.granted).toBe(true);
  });

  it('unlocks quietly when there is nothing to unlock', () => {
    expect(() => unlockExamKeys(undefined)).not.toThrow();
    expect(() => unlockExamKeys({})).not.toThrow();
    expect(() =>
      unlockExamKeys({
        unlock() {
          throw new Error('gone');
        },
      }),
    ).not.toThrow();
  });
});

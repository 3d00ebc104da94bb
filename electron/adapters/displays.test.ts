import type { Display } from 'electron';
import { describe, expect, it } from 'vitest';
import { display, FakeScreen } from '../test/fakeElectron';
import { readDisplays, toDisplayInfo } from './displays';

describe('displays', () => {
  it('lists every display with primary, internal and active as the contract says', () => {
    const screen = new FakeScreen();
    screen.displays.push(display(3, 3000, 0, 0, { internal: false }));
    expect(readDisplays(screen as unknown as Parameters<typeof readDisplays>[0])).toEqual({
      displays: [
        { id: '2', label: 'Display 2', internal: false, primary: false, width: 1920, height: 1080, x: -1920, y: 0, active: true },
        { id: '1', label: 'Display 1', internal: true, primary: true, width: 1440, height: 900, x: 0, y: 0, active: true },
        // A closed lid: listed, but not a screen anyone can look at.
        { id: '3', label: 'Display 3', internal: false, primary: false, width: 0, height: 0, x: 3000, y: 0, active: false },
      ],
      extended: null,
    });
  });

  it('says "unknown" for internal when the platform does not tell, and cuts long labels', () => {
    const info = toDisplayInfo({ ...display(9, 0, 800, 600), internal: undefined, label: 'L'.repeat(300) } as unknown as Display, 1);
    expect(info.internal).toBeNull();
    expect(info.label).toHaveLength(200);
  });
});

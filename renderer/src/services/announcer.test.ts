import { describe, expect, it } from 'vitest';
import { LiveRegionAnnouncer } from './announcer';

describe('LiveRegionAnnouncer', () => {
  it('speaks through a live region outside the app root, which a dialog does not make inert', () => {
    document.body.innerHTML = '<div id="root" inert></div><div id="announcer" aria-live="assertive"></div>';
    new LiveRegionAnnouncer(document.getElementById('announcer')!).announce('5 minutes left in this section.');
    const region = document.getElementById('announcer')!;
    expect(region).toHaveTextContent('5 minutes left in this section.');
    expect(region.closest('[inert]')).toBeNull();
  });
});

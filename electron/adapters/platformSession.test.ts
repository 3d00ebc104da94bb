import { describe, expect, it } from 'vitest';
import { decideX11, describePlatform, displaySession, ozoneSwitchGiven, type PlatformFacts } from './platformSession';

const ubuntuWayland = { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' };
const linux = (env: PlatformFacts['env'], ozonePlatform = ''): PlatformFacts => ({ platform: 'linux', release: '6.8.0-45-generic', env, ozonePlatform });

describe('describePlatform', () => {
  it('reads Windows and macOS from the platform and the kernel release, with no display session', () => {
    expect(describePlatform({ platform: 'win32', release: '10.0.22631', env: { DISPLAY: ':0' }, ozonePlatform: '' })).toEqual({ os: 'windows', osVersion: '10.0.22631', session: null });
    expect(describePlatform({ platform: 'darwin', release: '24.1.0', env: {}, ozonePlatform: '' })).toEqual({ os: 'macos', osVersion: '24.1.0', session: null });
    expect(describePlatform({ platform: 'freebsd', release: '14.1', env: {}, ozonePlatform: '' })).toEqual({ os: 'other', osVersion: '14.1', session: null });
  });

  it('on Linux believes the platform Electron chose over the environment', () => {
    expect(describePlatform(linux(ubuntuWayland, 'x11'))).toEqual({ os: 'linux', osVersion: '6.8.0-45-generic', session: 'x11' });
    expect(describePlatform(linux({ DISPLAY: ':0' }, 'wayland')).session).toBe('wayland');
    expect(describePlatform(linux({ DISPLAY: ':0' }, 'headless')).session).toBe('unknown');
  });

  it.each<[PlatformFacts['env'], string]>([
    [ubuntuWayland, 'wayland'],
    [{ XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' }, 'x11'],
    // Electron picks Wayland only for a Wayland session; otherwise X11.
    [{ WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':1' }, 'x11'],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, 'wayland'],
    [{ XDG_SESSION_TYPE: 'tty' }, 'unknown'],
    [{ DISPLAY: '' }, 'unknown'],
  ])('without a choice from Electron, %j is %s', (env, session) => {
    expect(displaySession({ env, ozonePlatform: '' })).toBe(session);
  });

  it('keeps the version string short', () => {
    expect(describePlatform({ platform: 'linux', release: 'x'.repeat(200), env: {}, ozonePlatform: 'x11' }).osVersion).toHaveLength(64);
  });
});

describe('decideX11', () => {
  const argv = ['/opt/Invigil/invigil', '--some-flag'];

  it('relaunches an installed app on Wayland with XWayland, once, with the switch on the real command line', () => {
    const decision = decideX11({ ...linux(ubuntuWayland, 'wayland'), argv, packaged: true });
    expect(decision).toEqual({ relaunch: true, args: ['--some-flag', '--ozone-platform=x11'] });
    // The relaunched process has the switch: it stays.
    const again = decideX11({ ...linux(ubuntuWayland, 'x11'), argv: ['/opt/Invigil/invigil', '--some-flag', '--ozone-platform=x11'], packaged: true });
    expect(again).toEqual({ relaunch: false, reason: 'switch_given' });
  });

  it('decides from the environment when Electron wrote no choice', () => {
    expect(decideX11({ ...linux(ubuntuWayland), argv, packaged: true }).relaunch).toBe(true);
  });

  it.each([
    ['not Linux', { platform: 'win32', release: '10.0.22631', env: ubuntuWayland, ozonePlatform: '' }, argv, true, 'not_linux'],
    ['a learner chose a platform', linux(ubuntuWayland, 'wayland'), [...argv, '--ozone-platform=wayland'], true, 'switch_given'],
    ['already X11', linux({ XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' }, 'x11'), argv, true, 'not_wayland'],
    ['no XWayland', linux({ XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' }, 'wayland'), argv, true, 'no_xwayland'],
    ['a development build', linux(ubuntuWayland, 'wayland'), argv, false, 'development'],
  ] as const)('stays when %s', (_why, facts, args, packaged, reason) => {
    expect(decideX11({ ...facts, argv: args, packaged })).toEqual({ relaunch: false, reason });
  });

  it('recognises the switch with or without a value, and not the hint', () => {
    expect(ozoneSwitchGiven(['app', '--ozone-platform=x11'])).toBe(true);
    expect(ozoneSwitchGiven(['app', '--ozone-platform'])).toBe(true);
    expect(ozoneSwitchGiven(['app', '--ozone-platform-hint=auto'])).toBe(false);
  });
});

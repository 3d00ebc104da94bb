import { osFromPlatform, type DisplaySession, type PlatformDescriptor } from '../../shared/domain/lockdownCapabilities';

/** What the host reads to describe the computer (`process.platform`, `os.release()`, the environment, Chromium's switches). */
export interface PlatformFacts {
  readonly platform: string;
  readonly release: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * `app.commandLine.getSwitchValue('ozone-platform')`: the platform Electron chose at start-up
   * (it writes its choice there), or '' when it wrote none.
   */
  readonly ozonePlatform: string;
}

const set = (value: string | undefined): boolean => value !== undefined && value !== '';

/**
 * The display server the app's windows use. Electron's own choice wins; without one, Electron 38
 * and later pick Wayland when `XDG_SESSION_TYPE` is `wayland` and X11 otherwise (which needs
 * `DISPLAY`). Anything else is `unknown`, which the lockdown treats like Wayland.
 */
export function displaySession(facts: Pick<PlatformFacts, 'env' | 'ozonePlatform'>): DisplaySession {
  if (facts.ozonePlatform === 'x11') return 'x11';
  if (facts.ozonePlatform === 'wayland') return 'wayland';
  if (facts.ozonePlatform !== '') return 'unknown'; // headless and the like
  const { env } = facts;
  if (env.XDG_SESSION_TYPE === 'wayland') return 'wayland';
  if (set(env.DISPLAY)) return 'x11';
  return set(env.WAYLAND_DISPLAY) ? 'wayland' : 'unknown';
}

/** The computer, for the lockdown capability model. */
export function describePlatform(facts: PlatformFacts): PlatformDescriptor {
  const os = osFromPlatform(facts.platform);
  return { os, osVersion: facts.release.slice(0, 64), session: os === 'linux' ? displaySession(facts) : null };
}

/** The `--ozone-platform` switch the learner or a launcher gave, if any (`--ozone-platform=x11`). */
export const ozoneSwitchGiven = (argv: readonly string[]): boolean => argv.some((arg) => arg === '--ozone-platform' || arg.startsWith('--ozone-platform='));

export type X11Decision =
  | { readonly relaunch: true; readonly args: readonly string[] }
  | { readonly relaunch: false; readonly reason: 'not_linux' | 'switch_given' | 'not_wayland' | 'no_xwayland' | 'development' };

/**
 * Whether to start again on X11 (XWayland). On Wayland the compositor ignores always-on-top, window
 * placement and `focus()`, so the lockdown is weaker there; X11 through XWayland gives them back.
 *
 * The switch has to be on the real command line: Electron picks the ozone platform in
 * `PreEarlyInitialization`, before the app's main script runs, so `app.commandLine.appendSwitch`
 * from main.ts comes too late. So the installed app relaunches itself once with
 * `--ozone-platform=x11` when: it is on Linux, Electron chose Wayland, an X server is reachable
 * (`DISPLAY`, XWayland), and nobody gave `--ozone-platform` (the relaunch itself has it, so it never
 * loops). A development build only logs the advice: relaunching would detach it from the tools that
 * started it.
 */
export function decideX11(facts: PlatformFacts & { readonly argv: readonly string[]; readonly packaged: boolean }): X11Decision {
  if (facts.platform !== 'linux') return { relaunch: false, reason: 'not_linux' };
  if (ozoneSwitchGiven(facts.argv)) return { relaunch: false, reason: 'switch_given' };
  if (displaySession(facts) !== 'wayland') return { relaunch: false, reason: 'not_wayland' };
  if (!set(facts.env.DISPLAY)) return { relaunch: false, reason: 'no_xwayland' };
  if (!facts.packaged) return { relaunch: false, reason: 'development' };
  return { relaunch: true, args: [...facts.argv.slice(1), '--ozone-platform=x11'] };
}

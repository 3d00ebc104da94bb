import type { ProcessCategory } from './examPolicy';
import type { OsFamily, ProcessInfo } from './observations';

/**
 * Which running programs an exam may block, per OS family. Pure data plus an
 * exact-name matcher; `policyEvaluation.ts` decides what a match means for an exam.
 *
 * Matching rules, chosen so a real computer is not accused of something it is not doing:
 * - Names are compared whole, case-insensitively, with a trailing `.exe` stripped: `Zoom.exe` is Zoom,
 *   `ZoomIt.exe` (Sysinternals magnifier) is not, `msedgewebview2.exe` (embedded in many apps and
 *   Windows itself) is not Edge, `chrome_crashpad_handler` is not Chrome.
 * - Only an app's main process is listed. Helpers ("Google Chrome Helper (Renderer)", "Discord Helper",
 *   "Microsoft Edge Helper") never count on their own: a helper cannot outlive its main process, which
 *   is listed, and helper names are shared by frameworks embedded in allowed apps. macOS
 *   "com.apple.WebKit.WebContent" (Mail, Help, App Store …) is not Safari.
 * - Background services that run whenever an app is merely installed (TeamViewer_Service,
 *   teamviewerd, SkypeBackgroundHost, GameBarPresenceWriter, NVIDIA/AMD overlays, xrdp-sesman,
 *   gnome-remote-desktop-daemon) are not listed: the learner cannot quit them and they do not mean a
 *   session is running. The processes that run during a remote session (TeamViewer_Desktop, remoting_desktop,
 *   macOS screensharingd) are listed, so the periodic scan sees a session when it starts.
 * - Linux kernel threads (`[kworker/0:1]`, `kthreadd`) never match: none of their names is listed and
 *   bracketed names are skipped outright. Invigil itself (`Invigil`, `Invigil Helper …`) is never matched.
 * - Generic names that other programs use (`browser.exe` of Yandex, `Action.exe`, `peek`) are left out.
 */

export type CatalogOs = Exclude<OsFamily, 'other'>;

export interface CatalogApp {
  /** Stable key (events are de-duplicated by it). */
  readonly id: string;
  /** What the learner and proctor read ("Google Chrome"). */
  readonly displayName: string;
  readonly category: ProcessCategory;
  /** Executable names as each OS reports them; matched whole, case-insensitively, `.exe` optional. */
  readonly names: Partial<Record<CatalogOs, readonly string[]>>;
  /** Whole-name patterns for names that carry a version ("Camtasia 2024"); anchored. */
  readonly patterns?: Partial<Record<CatalogOs, readonly RegExp[]>>;
  /** For the learner's fix sentence: `TRAY_HINT`, or a sentence part on how to end it. */
  readonly hint?: string;
}

export const categoryLabels: Readonly<Record<ProcessCategory, string>> = {
  remote_control: 'remote control',
  screen_share: 'screen sharing',
  recorder: 'screen recording',
  messaging: 'messaging',
  browser: 'web browser',
  assistant: 'assistant or translator',
};

/** The app keeps running in the system tray or menu bar when its window is closed. */
export const TRAY_HINT = 'tray';

export const processCatalog: readonly CatalogApp[] = [
  // ---- remote control
  {
    id: 'teamviewer',
    displayName: 'TeamViewer',
    category: 'remote_control',
    names: {
      windows: ['TeamViewer.exe', 'TeamViewer_Desktop.exe', 'tv_w32.exe', 'tv_x64.exe'],
      macos: ['TeamViewer', 'TeamViewer_Desktop'],
      linux: ['teamviewer', 'TeamViewer_Desktop'],
    },
    hint: TRAY_HINT,
  },
  { id: 'anydesk', displayName: 'AnyDesk', category: 'remote_control', names: { windows: ['AnyDesk.exe'], macos: ['AnyDesk'], linux: ['anydesk'] }, hint: TRAY_HINT },
  {
    id: 'chrome-remote-desktop',
    displayName: 'Chrome Remote Desktop host',
    category: 'remote_control',
    names: {
      windows: ['remoting_host.exe', 'remoting_desktop.exe'],
      macos: ['remoting_me2me_host', 'ChromeRemoteDesktopHost'],
      linux: ['chrome-remote-desktop-host', 'remoting_me2me_host', 'chrome-remote-desktop'],
    },
  },
  {
    id: 'vnc-server',
    displayName: 'VNC server',
    category: 'remote_control',
    names: {
      windows: ['tvnserver.exe', 'winvnc.exe', 'winvnc4.exe', 'vncserver.exe', 'vncserverui.exe', 'uvnc_service.exe'],
      macos: ['vncserver', 'RealVNC Server', 'vncagent'],
      linux: ['x11vnc', 'Xvnc', 'Xtightvnc', 'Xtigervnc', 'x0vncserver', 'x0tigervncserver', 'vino-server', 'vncserver-x11', 'vncserver-x11-core', 'vncserver-virtual', 'wayvnc', 'krfb'],
    },
  },
  // Launched by macOS only while someone is connected through Screen Sharing or Remote Management.
  { id: 'macos-screen-sharing', displayName: 'macOS Screen Sharing (someone connected)', category: 'remote_control', names: { macos: ['screensharingd'] } },
  { id: 'rustdesk', displayName: 'RustDesk', category: 'remote_control', names: { windows: ['rustdesk.exe'], macos: ['RustDesk'], linux: ['rustdesk'] }, hint: TRAY_HINT },
  { id: 'parsec', displayName: 'Parsec', category: 'remote_control', names: { windows: ['parsecd.exe'], macos: ['parsecd', 'Parsec'], linux: ['parsecd'] }, hint: TRAY_HINT },
  {
    id: 'splashtop',
    displayName: 'Splashtop Streamer',
    category: 'remote_control',
    names: { windows: ['SRServer.exe', 'SRManager.exe'], macos: ['Splashtop Streamer', 'SRServer'], linux: ['SRServer'] },
  },
  {
    id: 'logmein',
    displayName: 'LogMeIn / GoTo Resolve',
    category: 'remote_control',
    names: { windows: ['LogMeIn.exe', 'LogMeInSystray.exe', 'LMI_Rescue.exe', 'GoToResolveUi.exe'], macos: ['LogMeIn', 'LogMeInGUI', 'LogMeIn Rescue'] },
  },
  { id: 'quick-assist', displayName: 'Quick Assist', category: 'remote_control', names: { windows: ['QuickAssist.exe'] } },
  { id: 'ultraviewer', displayName: 'UltraViewer', category: 'remote_control', names: { windows: ['UltraViewer_Desktop.exe'] } },
  { id: 'todesk', displayName: 'ToDesk', category: 'remote_control', names: { windows: ['ToDesk.exe'], macos: ['ToDesk'], linux: ['todesk'] }, hint: TRAY_HINT },
  { id: 'sunlogin', displayName: 'Sunlogin (向日葵)', category: 'remote_control', names: { windows: ['SunloginClient.exe'], macos: ['SunloginClient'], linux: ['sunloginclient'] }, hint: TRAY_HINT },
  { id: 'ammyy', displayName: 'Ammyy Admin', category: 'remote_control', names: { windows: ['AA_v3.exe'] } },
  { id: 'supremo', displayName: 'Supremo', category: 'remote_control', names: { windows: ['Supremo.exe'], macos: ['Supremo'] } },

  // ---- screen sharing (meeting and chat apps that can share the screen)
  { id: 'zoom', displayName: 'Zoom', category: 'screen_share', names: { windows: ['Zoom.exe', 'CptHost.exe'], macos: ['zoom.us'], linux: ['zoom'] }, hint: TRAY_HINT },
  {
    id: 'teams',
    displayName: 'Microsoft Teams',
    category: 'screen_share',
    names: {
      windows: ['Teams.exe', 'ms-teams.exe', 'msteams.exe'],
      macos: ['Microsoft Teams', 'Microsoft Teams (work or school)', 'Microsoft Teams classic', 'MSTeams'],
      linux: ['teams', 'teams-for-linux'],
    },
    hint: TRAY_HINT,
  },
  {
    id: 'discord',
    displayName: 'Discord',
    category: 'screen_share',
    names: {
      windows: ['Discord.exe', 'DiscordPTB.exe', 'DiscordCanary.exe'],
      macos: ['Discord', 'Discord PTB', 'Discord Canary'],
      linux: ['Discord', 'DiscordPTB', 'DiscordCanary'],
    },
    hint: TRAY_HINT,
  },
  { id: 'skype', displayName: 'Skype', category: 'screen_share', names: { windows: ['Skype.exe'], macos: ['Skype'], linux: ['skypeforlinux'] }, hint: TRAY_HINT },
  { id: 'slack', displayName: 'Slack', category: 'screen_share', names: { windows: ['slack.exe'], macos: ['Slack'], linux: ['slack'] }, hint: TRAY_HINT },
  {
    id: 'webex',
    displayName: 'Webex',
    category: 'screen_share',
    names: { windows: ['Webex.exe', 'CiscoCollabHost.exe', 'atmgr.exe', 'webexmta.exe'], macos: ['Webex', 'Cisco Webex Meetings'], linux: ['webex'] },
    hint: TRAY_HINT,
  },
  { id: 'goto-meeting', displayName: 'GoTo Meeting', category: 'screen_share', names: { windows: ['g2mcomm.exe', 'GoTo.exe'], macos: ['GoTo Meeting', 'GoTo'] } },
  { id: 'tencent-meeting', displayName: 'Tencent Meeting / VooV', category: 'screen_share', names: { windows: ['wemeetapp.exe'], macos: ['TencentMeeting', 'VooV Meeting'] } },
  { id: 'dingtalk', displayName: 'DingTalk', category: 'screen_share', names: { windows: ['DingTalk.exe'], macos: ['DingTalk'], linux: ['dingtalk'] }, hint: TRAY_HINT },
  { id: 'lark', displayName: 'Feishu / Lark', category: 'screen_share', names: { windows: ['Feishu.exe', 'Lark.exe'], macos: ['Feishu', 'Lark'], linux: ['feishu', 'lark'] }, hint: TRAY_HINT },
  { id: 'facetime', displayName: 'FaceTime', category: 'screen_share', names: { macos: ['FaceTime'] } },

  // ---- recorders
  { id: 'obs', displayName: 'OBS Studio', category: 'recorder', names: { windows: ['obs64.exe', 'obs32.exe', 'obs.exe'], macos: ['OBS'], linux: ['obs'] } },
  { id: 'bandicam', displayName: 'Bandicam', category: 'recorder', names: { windows: ['bdcam.exe', 'bandicam.exe'] } },
  {
    id: 'camtasia',
    displayName: 'Camtasia',
    category: 'recorder',
    names: { windows: ['CamtasiaStudio.exe', 'CamRecorder.exe', 'Camtasia.exe'], macos: ['Camtasia'] },
    patterns: { macos: [/^camtasia \d{4}$/] },
  },
  { id: 'sharex', displayName: 'ShareX', category: 'recorder', names: { windows: ['ShareX.exe'] }, hint: TRAY_HINT },
  { id: 'simplescreenrecorder', displayName: 'SimpleScreenRecorder', category: 'recorder', names: { linux: ['simplescreenrecorder'] } },
  { id: 'kazam', displayName: 'Kazam', category: 'recorder', names: { linux: ['kazam'] } },
  { id: 'vokoscreen', displayName: 'vokoscreen', category: 'recorder', names: { windows: ['vokoscreenNG.exe'], linux: ['vokoscreenNG', 'vokoscreen'] } },
  { id: 'kooha', displayName: 'Kooha', category: 'recorder', names: { linux: ['kooha'] } },
  { id: 'loom', displayName: 'Loom', category: 'recorder', names: { windows: ['Loom.exe'], macos: ['Loom'] }, hint: TRAY_HINT },
  {
    id: 'snagit',
    displayName: 'Snagit',
    category: 'recorder',
    names: { windows: ['Snagit32.exe', 'SnagitCapture.exe'], macos: ['Snagit'] },
    patterns: { macos: [/^snagit \d{4}$/] },
    hint: TRAY_HINT,
  },
  { id: 'screenpal', displayName: 'ScreenPal (Screencast-O-Matic)', category: 'recorder', names: { windows: ['ScreenPal.exe', 'Screencast-O-Matic.exe'], macos: ['ScreenPal'] } },
  { id: 'kap', displayName: 'Kap', category: 'recorder', names: { macos: ['Kap'] } },

  // ---- messaging
  { id: 'whatsapp', displayName: 'WhatsApp', category: 'messaging', names: { windows: ['WhatsApp.exe', 'WhatsApp.Root.exe'], macos: ['WhatsApp'] }, hint: TRAY_HINT },
  { id: 'telegram', displayName: 'Telegram', category: 'messaging', names: { windows: ['Telegram.exe'], macos: ['Telegram'], linux: ['telegram-desktop', 'Telegram'] }, hint: TRAY_HINT },
  { id: 'signal', displayName: 'Signal', category: 'messaging', names: { windows: ['Signal.exe'], macos: ['Signal'], linux: ['signal-desktop'] }, hint: TRAY_HINT },
  { id: 'wechat', displayName: 'WeChat', category: 'messaging', names: { windows: ['WeChat.exe', 'Weixin.exe'], macos: ['WeChat'], linux: ['wechat'] }, hint: TRAY_HINT },
  { id: 'qq', displayName: 'QQ', category: 'messaging', names: { windows: ['QQ.exe', 'TIM.exe'], macos: ['QQ'], linux: ['qq'] }, hint: TRAY_HINT },
  { id: 'messenger', displayName: 'Messenger', category: 'messaging', names: { windows: ['Messenger.exe'], macos: ['Messenger'] }, hint: TRAY_HINT },
  { id: 'imessage', displayName: 'Messages (iMessage)', category: 'messaging', names: { macos: ['Messages'] } },
  { id: 'viber', displayName: 'Viber', category: 'messaging', names: { windows: ['Viber.exe'], macos: ['Viber'], linux: ['Viber'] }, hint: TRAY_HINT },
  { id: 'line', displayName: 'LINE', category: 'messaging', names: { windows: ['LINE.exe'], macos: ['LINE'] }, hint: TRAY_HINT },
  { id: 'kakaotalk', displayName: 'KakaoTalk', category: 'messaging', names: { windows: ['KakaoTalk.exe'], macos: ['KakaoTalk'] }, hint: TRAY_HINT },
  { id: 'zalo', displayName: 'Zalo', category: 'messaging', names: { windows: ['Zalo.exe'], macos: ['Zalo'] }, hint: TRAY_HINT },
  { id: 'element', displayName: 'Element', category: 'messaging', names: { windows: ['Element.exe'], macos: ['Element'], linux: ['element-desktop'] }, hint: TRAY_HINT },

  // ---- other browsers (the approved translator is offered inside Invigil)
  { id: 'chrome', displayName: 'Google Chrome', category: 'browser', names: { windows: ['chrome.exe'], macos: ['Google Chrome'], linux: ['chrome', 'google-chrome', 'google-chrome-stable'] } },
  {
    id: 'edge',
    displayName: 'Microsoft Edge',
    category: 'browser',
    names: { windows: ['msedge.exe'], macos: ['Microsoft Edge'], linux: ['msedge', 'microsoft-edge', 'microsoft-edge-stable'] },
    hint: "Edge may run in the background: end it in Task Manager, or turn off 'Startup boost' in Edge's settings",
  },
  { id: 'firefox', displayName: 'Firefox', category: 'browser', names: { windows: ['firefox.exe'], macos: ['firefox'], linux: ['firefox', 'firefox-esr', 'firefox-bin'] } },
  { id: 'brave', displayName: 'Brave', category: 'browser', names: { windows: ['brave.exe'], macos: ['Brave Browser'], linux: ['brave', 'brave-browser'] } },
  { id: 'opera', displayName: 'Opera', category: 'browser', names: { windows: ['opera.exe'], macos: ['Opera', 'Opera GX'], linux: ['opera'] } },
  { id: 'vivaldi', displayName: 'Vivaldi', category: 'browser', names: { windows: ['vivaldi.exe'], macos: ['Vivaldi'], linux: ['vivaldi', 'vivaldi-bin'] } },
  { id: 'safari', displayName: 'Safari', category: 'browser', names: { macos: ['Safari'] } },
  { id: 'chromium', displayName: 'Chromium', category: 'browser', names: { windows: ['chromium.exe'], macos: ['Chromium'], linux: ['chromium', 'chromium-browser'] } },
  { id: 'arc', displayName: 'Arc', category: 'browser', names: { windows: ['Arc.exe'], macos: ['Arc'] } },
  { id: 'internet-explorer', displayName: 'Internet Explorer', category: 'browser', names: { windows: ['iexplore.exe'] } },
  { id: 'librewolf', displayName: 'LibreWolf', category: 'browser', names: { windows: ['librewolf.exe'], macos: ['librewolf'], linux: ['librewolf'] } },
  { id: 'waterfox', displayName: 'Waterfox', category: 'browser', names: { windows: ['waterfox.exe'], macos: ['waterfox'], linux: ['waterfox'] } },
  { id: '360-browser', displayName: '360 Browser', category: 'browser', names: { windows: ['360se.exe', '360chrome.exe', '360ChromeX.exe'] } },
  { id: 'qq-browser', displayName: 'QQ Browser', category: 'browser', names: { windows: ['QQBrowser.exe'], macos: ['QQBrowser'] } },
  { id: 'sogou-browser', displayName: 'Sogou Explorer', category: 'browser', names: { windows: ['SogouExplorer.exe'] } },
  { id: 'uc-browser', displayName: 'UC Browser', category: 'browser', names: { windows: ['UCBrowser.exe'] } },
  { id: 'maxthon', displayName: 'Maxthon', category: 'browser', names: { windows: ['Maxthon.exe'], macos: ['Maxthon'] } },
  { id: 'orion', displayName: 'Orion', category: 'browser', names: { macos: ['Orion'] } },
  { id: 'linux-browsers', displayName: 'GNOME Web / Falkon / Konqueror', category: 'browser', names: { linux: ['epiphany', 'falkon', 'konqueror'] } },

  // ---- assistants, and translators outside Invigil (only the approved one, inside Invigil, is allowed)
  { id: 'chatgpt', displayName: 'ChatGPT', category: 'assistant', names: { windows: ['ChatGPT.exe'], macos: ['ChatGPT'] }, hint: TRAY_HINT },
  { id: 'claude', displayName: 'Claude', category: 'assistant', names: { windows: ['claude.exe'], macos: ['Claude'] }, hint: TRAY_HINT },
  { id: 'copilot', displayName: 'Microsoft Copilot', category: 'assistant', names: { windows: ['Copilot.exe', 'M365Copilot.exe'], macos: ['Copilot', 'Microsoft Copilot'] } },
  { id: 'perplexity', displayName: 'Perplexity', category: 'assistant', names: { windows: ['Perplexity.exe'], macos: ['Perplexity'] } },
  { id: 'cluely', displayName: 'Cluely', category: 'assistant', names: { windows: ['Cluely.exe'], macos: ['Cluely'] } },
  { id: 'grammarly', displayName: 'Grammarly', category: 'assistant', names: { windows: ['Grammarly.Desktop.exe'], macos: ['Grammarly Desktop'] }, hint: TRAY_HINT },
  { id: 'deepl', displayName: 'DeepL', category: 'assistant', names: { windows: ['DeepL.exe'], macos: ['DeepL'] }, hint: TRAY_HINT },
  { id: 'youdao-dict', displayName: 'Youdao Dictionary app', category: 'assistant', names: { windows: ['YoudaoDict.exe'], macos: ['YoudaoDict', 'Youdao Dictionary'] }, hint: TRAY_HINT },
  { id: 'rewind', displayName: 'Rewind', category: 'assistant', names: { macos: ['Rewind'] } },
  { id: 'screenpipe', displayName: 'screenpipe', category: 'assistant', names: { windows: ['screenpipe.exe'], macos: ['screenpipe'], linux: ['screenpipe'] } },
];

/** Lower case, trimmed, `.exe` stripped; a full path is cut to its last part. */
export function normalizeProcessName(name: string): string {
  let n = name.trim();
  // Only a real path is cut: Linux kernel threads carry slashes in their names ("kworker/0:1").
  if (n.startsWith('/') || /^[a-z]:\\/i.test(n) || n.startsWith('\\\\')) n = n.slice(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1);
  n = n.toLowerCase();
  return n.endsWith('.exe') ? n.slice(0, -4) : n;
}

const catalogOses: readonly CatalogOs[] = ['windows', 'macos', 'linux'];

/** name → app, per OS; built once from the table above ('other' looks in all three). */
const index: ReadonlyMap<CatalogOs, ReadonlyMap<string, CatalogApp>> = new Map(
  catalogOses.map((os) => [os, new Map(processCatalog.flatMap((app) => (app.names[os] ?? []).map((n) => [normalizeProcessName(n), app] as const)))]),
);

const isOwnProcess = (normalized: string): boolean => normalized === 'invigil' || normalized.startsWith('invigil ');
const isKernelThread = (name: string): boolean => name.startsWith('[') && name.endsWith(']');

/**
 * Candidate names of a process: its name, and the last part of its path when that is the executable
 * itself (a Windows `…\\TeamViewer.exe`, or a longer form of a cut-off name). systeminformation gives
 * the *folder* on macOS and Linux: `/opt/google/chrome` must not make `chrome_crashpad_handler` Chrome,
 * nor `C:\\Program Files\\TeamViewer` its service.
 */
function candidateNames(process: ProcessInfo): string[] {
  const name = normalizeProcessName(process.name);
  const names = [name];
  if (process.path) {
    const file = process.path.slice(Math.max(process.path.lastIndexOf('/'), process.path.lastIndexOf('\\')) + 1).trim().toLowerCase();
    const last = normalizeProcessName(file);
    if (last && last !== name && (file.endsWith('.exe') || (name !== '' && last.startsWith(name)))) names.push(last);
  }
  return names;
}

/** The catalog app a process belongs to, or null. */
export function identifyProcess(os: OsFamily, process: ProcessInfo): CatalogApp | null {
  if (isKernelThread(process.name.trim())) return null;
  const names = candidateNames(process);
  if (names.some(isOwnProcess)) return null;
  const oses = os === 'other' ? catalogOses : [os];
  for (const o of oses) {
    for (const n of names) {
      const app = index.get(o)?.get(n);
      if (app) return app;
    }
    for (const app of processCatalog) {
      if (app.patterns?.[o]?.some((re) => names.some((n) => re.test(n)))) return app;
    }
  }
  return null;
}

export interface BlockedApp {
  readonly app: CatalogApp;
  /** The distinct executable names seen (as reported), e.g. ["chrome.exe"]. */
  readonly executables: readonly string[];
  readonly pids: readonly number[];
}

export interface ProcessFindings {
  /** Blocked apps found, one entry per app however many processes it runs, in catalog order. */
  readonly blocked: readonly BlockedApp[];
  /** Apps that would be blocked but the exam allows (`allowedApplications`). */
  readonly allowed: readonly BlockedApp[];
}

/**
 * The blocked apps among `processes` for an exam. `allowedApplications` holds executable names
 * (`Zoom.exe`, `zoom.us`); an app's display name ("Microsoft Teams") or id ("teams") also exempts it.
 */
export function findBlockedProcesses(
  os: OsFamily,
  processes: readonly ProcessInfo[],
  rules: { readonly blockedCategories: readonly ProcessCategory[]; readonly allowedApplications: readonly string[] },
): ProcessFindings {
  const allowedNames = new Set(rules.allowedApplications.map(normalizeProcessName));
  const byApp = new Map<string, { app: CatalogApp; executables: string[]; pids: number[]; allowed: boolean }>();
  for (const p of processes) {
    const app = identifyProcess(os, p);
    if (!app || !rules.blockedCategories.includes(app.category)) continue;
    const allowed =
      candidateNames(p).some((n) => allowedNames.has(n)) || allowedNames.has(app.id) || allowedNames.has(normalizeProcessName(app.displayName));
    const key = `${app.id}:${allowed}`;
    const entry = byApp.get(key) ?? { app, executables: [], pids: [], allowed };
    if (!entry.executables.includes(p.name)) entry.executables.push(p.name);
    entry.pids.push(p.pid);
    byApp.set(key, entry);
  }
  const order = (a: BlockedApp, b: BlockedApp): number => processCatalog.indexOf(a.app) - processCatalog.indexOf(b.app);
  const all = [...byApp.values()];
  return {
    blocked: all.filter((e) => !e.allowed).map(({ app, executables, pids }) => ({ app, executables, pids })).sort(order),
    allowed: all.filter((e) => e.allowed).map(({ app, executables, pids }) => ({ app, executables, pids })).sort(order),
  };
}

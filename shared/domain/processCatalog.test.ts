import { describe, expect, it } from 'vitest';
import { ProcessCategory } from './examPolicy';
import type { OsFamily, ProcessInfo } from './observations';
import { type CatalogOs, findBlockedProcesses, identifyProcess, normalizeProcessName, processCatalog } from './processCatalog';

const proc = (name: string, pid = 100, path: string | null = null): ProcessInfo => ({ pid, name, path });
const allCategories = ProcessCategory.options;

describe('identifyProcess', () => {
  const matches: [OsFamily, string, string][] = [
    ['windows', 'TeamViewer.exe', 'teamviewer'],
    ['windows', 'TEAMVIEWER.EXE', 'teamviewer'],
    ['windows', 'TeamViewer_Desktop.exe', 'teamviewer'],
    ['windows', 'AnyDesk.exe', 'anydesk'],
    ['windows', 'remoting_desktop.exe', 'chrome-remote-desktop'],
    ['windows', 'tvnserver.exe', 'vnc-server'],
    ['windows', 'rustdesk.exe', 'rustdesk'],
    ['windows', 'parsecd.exe', 'parsec'],
    ['windows', 'SRServer.exe', 'splashtop'],
    ['windows', 'LogMeIn.exe', 'logmein'],
    ['windows', 'Zoom.exe', 'zoom'],
    ['windows', 'Teams.exe', 'teams'],
    ['windows', 'ms-teams.exe', 'teams'],
    ['windows', 'Discord.exe', 'discord'],
    ['windows', 'Skype.exe', 'skype'],
    ['windows', 'slack.exe', 'slack'],
    ['windows', 'CiscoCollabHost.exe', 'webex'],
    ['windows', 'obs64.exe', 'obs'],
    ['windows', 'bdcam.exe', 'bandicam'],
    ['windows', 'CamtasiaStudio.exe', 'camtasia'],
    ['windows', 'ShareX.exe', 'sharex'],
    ['windows', 'WhatsApp.Root.exe', 'whatsapp'],
    ['windows', 'Telegram.exe', 'telegram'],
    ['windows', 'Signal.exe', 'signal'],
    ['windows', 'Weixin.exe', 'wechat'],
    ['windows', 'QQ.exe', 'qq'],
    ['windows', 'Messenger.exe', 'messenger'],
    ['windows', 'chrome.exe', 'chrome'],
    ['windows', 'msedge.exe', 'edge'],
    ['windows', 'firefox.exe', 'firefox'],
    ['windows', 'brave.exe', 'brave'],
    ['windows', 'opera.exe', 'opera'],
    ['windows', 'vivaldi.exe', 'vivaldi'],
    ['windows', 'ChatGPT.exe', 'chatgpt'],
    ['macos', 'Google Chrome', 'chrome'],
    ['macos', 'zoom.us', 'zoom'],
    ['macos', 'Microsoft Teams', 'teams'],
    ['macos', 'MSTeams', 'teams'],
    ['macos', 'Safari', 'safari'],
    ['macos', 'Brave Browser', 'brave'],
    ['macos', 'OBS', 'obs'],
    ['macos', 'Camtasia 2023', 'camtasia'],
    ['macos', 'screensharingd', 'macos-screen-sharing'],
    ['linux', 'x11vnc', 'vnc-server'],
    ['linux', 'vino-server', 'vnc-server'],
    ['linux', 'Xtigervnc', 'vnc-server'],
    ['linux', 'chrome-remote-desktop-host', 'chrome-remote-desktop'],
    ['linux', 'simplescreenrecorder', 'simplescreenrecorder'],
    ['linux', 'kazam', 'kazam'],
    ['linux', 'vokoscreenNG', 'vokoscreen'],
    ['linux', 'telegram-desktop', 'telegram'],
    ['linux', 'signal-desktop', 'signal'],
    ['linux', 'firefox-esr', 'firefox'],
    ['linux', 'chromium', 'chromium'],
    ['other', 'firefox', 'firefox'],
  ];
  it.each(matches)('%s %s → %s', (os, name, id) => {
    expect(identifyProcess(os, proc(name))?.id).toBe(id);
  });

  const innocent: [OsFamily, string][] = [
    ['windows', 'msedgewebview2.exe'], // WebView2 runs inside Widgets, Teams, Office and Invigil-like apps
    ['windows', 'ZoomIt.exe'], // Sysinternals magnifier, not Zoom
    ['windows', 'TeamViewer_Service.exe'], // installed service, no session
    ['windows', 'SkypeBackgroundHost.exe'],
    ['windows', 'GameBarPresenceWriter.exe'],
    ['windows', 'obs-ffmpeg-mux.exe'],
    ['windows', 'remoting_native_messaging_host.exe'],
    ['windows', 'Invigil.exe'],
    ['windows', 'svchost.exe'],
    ['windows', 'ApplicationFrameHost.exe'],
    ['macos', 'Google Chrome Helper'],
    ['macos', 'Google Chrome Helper (Renderer)'],
    ['macos', 'Microsoft Edge Helper (GPU)'],
    ['macos', 'Discord Helper (Renderer)'],
    ['macos', 'com.apple.WebKit.WebContent'],
    ['macos', 'chrome_crashpad_handler'],
    ['macos', 'Invigil Helper (Renderer)'],
    ['macos', 'zoom.us Helper'],
    ['linux', 'chrome_crashpad_handler'],
    ['linux', 'kworker'],
    ['linux', '[kworker/0:1]'],
    ['linux', 'kworker/0:1'],
    ['linux', 'ksoftirqd'],
    ['linux', 'kthreadd'],
    ['linux', '[kvm-nx-lpage-recovery]'],
    ['linux', 'invigil'],
    ['linux', 'gnome-remote-desktop-daemon'],
    ['windows', 'zoom.us'], // a macOS name does not match on Windows
  ];
  it.each(innocent)('%s %s → nothing', (os, name) => {
    expect(identifyProcess(os, proc(name))).toBeNull();
  });

  it('uses the file name of a full path when the name is cut off or odd', () => {
    expect(identifyProcess('windows', proc('TeamViewer', 1, 'C:\\Program Files\\TeamViewer\\TeamViewer.exe'))?.id).toBe('teamviewer');
    // Linux cuts names to 15 characters; the folder systeminformation reports completes it.
    expect(identifyProcess('linux', proc('chrome-remote-d', 1, '/opt/google/chrome-remote-desktop'))?.id).toBe('chrome-remote-desktop');
  });

  it.each([
    ['linux', 'chrome_crashpad_handler', '/opt/google/chrome'],
    ['linux', 'zoom_helper', '/opt/zoom'],
    ['windows', 'TeamViewer_Service.exe', 'C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe'],
    ['windows', 'Update.exe', 'C:\\Users\\amara\\AppData\\Local\\Discord'],
    ['macos', 'Google Chrome Helper', '/Applications/Google Chrome.app/Contents/Frameworks'],
  ] as const)('a folder named like an app does not make %s %s that app', (os, name, path) => {
    expect(identifyProcess(os, proc(name, 1, path))).toBeNull();
  });
});

describe('normalizeProcessName', () => {
  it.each([
    ['Zoom.EXE', 'zoom'],
    ['  obs64.exe ', 'obs64'],
    ['C:\\Program Files\\Zoom\\bin\\Zoom.exe', 'zoom'],
    ['/usr/bin/obs', 'obs'],
    ['kworker/0:1', 'kworker/0:1'],
    ['zoom.us', 'zoom.us'],
  ])('%s → %s', (raw, normalized) => {
    expect(normalizeProcessName(raw)).toBe(normalized);
  });
});

describe('findBlockedProcesses', () => {
  const rules = { blockedCategories: allCategories, allowedApplications: [] as string[] };

  it('reports an app once however many processes it runs, with every pid', () => {
    const found = findBlockedProcesses('windows', [proc('chrome.exe', 1), proc('chrome.exe', 2), proc('chrome.exe', 3), proc('msedgewebview2.exe', 4)], rules);
    expect(found.blocked).toEqual([{ app: expect.objectContaining({ id: 'chrome' }), executables: ['chrome.exe'], pids: [1, 2, 3] }]);
  });

  it('ignores categories the exam does not block', () => {
    const found = findBlockedProcesses('windows', [proc('chrome.exe'), proc('Zoom.exe')], { blockedCategories: ['screen_share'], allowedApplications: [] });
    expect(found.blocked.map((b) => b.app.id)).toEqual(['zoom']);
  });

  it('exempts allowedApplications by executable name, display name or id, and only those', () => {
    const running = [proc('Zoom.exe', 1), proc('ms-teams.exe', 2), proc('Teams.exe', 3), proc('slack.exe', 4), proc('AnyDesk.exe', 5)];
    const found = findBlockedProcesses('windows', running, { blockedCategories: allCategories, allowedApplications: ['ZOOM.EXE', 'ms-teams', 'Slack'] });
    expect(found.allowed.map((b) => `${b.app.id}:${b.executables.join()}`)).toEqual(['zoom:Zoom.exe', 'teams:ms-teams.exe', 'slack:slack.exe']);
    // Classic Teams was not approved, only the new one.
    expect(found.blocked.map((b) => `${b.app.id}:${b.executables.join()}`)).toEqual(['anydesk:AnyDesk.exe', 'teams:Teams.exe']);
  });

  it('lists blocked apps in catalog order (remote control first)', () => {
    const found = findBlockedProcesses('linux', [proc('firefox'), proc('obs'), proc('x11vnc')], rules);
    expect(found.blocked.map((b) => b.app.category)).toEqual(['remote_control', 'recorder', 'browser']);
  });
});

describe('the catalog', () => {
  it('has unique ids and no name claimed by two apps on one OS', () => {
    expect(new Set(processCatalog.map((a) => a.id)).size).toBe(processCatalog.length);
    for (const os of ['windows', 'macos', 'linux'] as CatalogOs[]) {
      const names = processCatalog.flatMap((a) => (a.names[os] ?? []).map(normalizeProcessName));
      expect(names.length - new Set(names).size, os).toBe(0);
    }
  });

  it('lists no helper, webview or crash handler names', () => {
    const all = processCatalog.flatMap((a) => Object.values(a.names).flat());
    expect(all.filter((n) => /helper|webview|crashpad|crash_?handler|update/i.test(n))).toEqual([]);
  });

  it('covers every category on each OS', () => {
    for (const os of ['windows', 'macos', 'linux'] as CatalogOs[]) {
      const covered = new Set(processCatalog.filter((a) => (a.names[os]?.length ?? 0) > 0).map((a) => a.category));
      expect([...covered].sort(), os).toEqual([...allCategories].sort());
    }
  });
});

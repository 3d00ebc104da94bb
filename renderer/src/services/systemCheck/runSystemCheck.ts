import { BANDWIDTH_PROBE_BYTES, type CheckId, type CheckItem, type SystemCheckReport } from '../../../../shared/api/checks';
import type { ExamPolicy } from '../../../../shared/domain/examPolicy';
import type { HostObservations, OsFamily } from '../../../../shared/domain/observations';
import { evaluateStart } from '../../../../shared/domain/policyEvaluation';
import type { AppInfo, InvigilHost } from '../../../../shared/ipc/contract';
import type { ApiClient } from '../api/apiClient';
import type { Logger } from '../logger';
import type { OcrService } from '../ocr/ocrService';
import { requiredRecordingBytes } from '../recorder/recordingBudget';
import {
  appVersionItem,
  bandwidthItem,
  brokenItem,
  CHECK_ORDER,
  diskItem,
  explainUnsupported,
  fullscreenItem,
  lockdownItem,
  ocrItem,
} from './checkItems';
import type { SystemCheckEnvironment } from './systemCheckEnvironment';
import { trimObservations } from './trimObservations';

export interface SystemCheckDeps {
  readonly host: Pick<InvigilHost, 'system:probe' | 'recording:checkDisk'>;
  readonly api: Pick<ApiClient, 'call'>;
  readonly env: Pick<SystemCheckEnvironment, 'browserFacts' | 'randomBytes' | 'monotonicNow' | 'uploadProbe'>;
  readonly ocr: Pick<OcrService, 'warm'>;
  readonly appInfo: AppInfo;
  /** Wall clock, for the report's time. */
  readonly now: () => number;
  readonly formatBytes: (bytes: number) => string;
  readonly log: Logger;
}

export interface SystemCheckRequest {
  readonly policy: ExamPolicy;
  /** All sections' minutes, with the learner's extra time already applied. */
  readonly totalMinutes: number;
  /** The camera and microphone items, measured on the step's live stream. */
  readonly camera: () => Promise<CheckItem>;
  readonly microphone: () => Promise<CheckItem>;
  /** Each item as soon as it is known, so the learner sees the list fill in. */
  readonly onItem?: (item: CheckItem) => void;
}

export function osFromPlatform(platform: string): OsFamily {
  if (platform === 'win32' || /^win/i.test(platform)) return 'windows';
  if (platform === 'darwin' || /^mac/i.test(platform)) return 'macos';
  if (/linux/i.test(platform)) return 'linux';
  return 'other';
}

/**
 * One run of the system check: every item at once, each reported as it ends, then the
 * report for `saveSystemCheck`. A check that throws is a bug: it is logged and counts as failed.
 */
export async function runSystemCheck(deps: SystemCheckDeps, request: SystemCheckRequest): Promise<SystemCheckReport> {
  const { host, api, env, ocr, appInfo, log } = deps;
  const emit = (item: CheckItem) => {
    request.onItem?.(item);
    return item;
  };
  const guarded = (ids: readonly CheckId[], run: () => Promise<CheckItem[]>): Promise<CheckItem[]> =>
    run().then(
      (items) => items.map(emit),
      (error: unknown) => {
        log.error('system check item threw', { ids: ids.join(','), error: String(error) });
        return ids.map((id) => emit(brokenItem(id)));
      },
    );
  const one = (id: CheckId, run: () => Promise<CheckItem>) => guarded([id], async () => [await run()]);

  const browser = env.browserFacts();
  let observations: HostObservations | null = null;

  const requiredBytes = requiredRecordingBytes(request.totalMinutes);
  const tasks: Array<Promise<CheckItem[]>> = [
    one('camera', request.camera),
    one('microphone', request.microphone),
    guarded(['displays', 'virtual_machine', 'processes'], async () => {
      const probed = await host['system:probe']({});
      if (!probed.ok) log.warn('system probe unavailable', { code: probed.error.code });
      const seen: HostObservations = probed.ok
        ? probed.value
        : { observedAt: new Date(deps.now()).toISOString(), os: osFromPlatform(appInfo.platform), displays: null, machine: null, processes: null };
      const items = evaluateStart(request.policy, seen, { extended: browser.extended }).map((i) => explainUnsupported(appInfo.hostKind, i));
      observations = trimObservations(seen, request.policy, browser.extended);
      return items;
    }),
    one('fullscreen', async () => fullscreenItem(appInfo.hostKind, appInfo.capabilities.kiosk, browser.fullscreenEnabled)),
    one('lockdown', async () => lockdownItem(appInfo.capabilities.lockdown)),
    one('bandwidth', async () => {
      const bytes = env.randomBytes(BANDWIDTH_PROBE_BYTES);
      const started = env.monotonicNow();
      const reply = await env.uploadProbe(bytes);
      const ms = env.monotonicNow() - started;
      if (!reply.ok) return bandwidthItem({ ok: false, code: reply.error.code });
      log.info('bandwidth probe', { bytes: reply.value.receivedBytes, ms: Math.round(ms), serverMs: reply.value.serverMs });
      return bandwidthItem({ ok: true, bytes: reply.value.receivedBytes, ms, serverMs: reply.value.serverMs });
    }),
    one('disk', async () => {
      const disk = await host['recording:checkDisk']({ requiredBytes });
      return diskItem(requiredBytes, disk.ok ? { ok: true, ...disk.value } : { ok: false, code: disk.error.code }, deps.formatBytes);
    }),
    one('app_version', async () => {
      const policy = await api.call('versionPolicy', {});
      return appVersionItem(appInfo.hostKind, appInfo.appVersion, policy.ok ? { ok: true, minimumAppVersion: policy.value.minimumAppVersion } : { ok: false, code: policy.error.code });
    }),
    one('ocr_engine', async () => {
      const warmed = await ocr.warm();
      return ocrItem(warmed.ok ? { ok: true, ms: warmed.value.ms } : { ok: false, code: warmed.error.code });
    }),
  ];
  const items = (await Promise.all(tasks)).flat();
  items.sort((a, b) => CHECK_ORDER.indexOf(a.id) - CHECK_ORDER.indexOf(b.id));
  return {
    checkedAt: new Date(deps.now()).toISOString(),
    hostKind: appInfo.hostKind,
    appVersion: appInfo.appVersion,
    items,
    observations,
  };
}

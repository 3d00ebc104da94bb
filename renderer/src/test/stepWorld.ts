import type { CheckItem, StartChecks } from '../../../shared/api/checks';
import type { ExamSummary } from '../../../shared/api/exams';
import type { SessionView } from '../../../shared/api/sessions';
import { ExamPolicy } from '../../../shared/domain/examPolicy';
import { webLockdownCapabilities } from '../../../shared/domain/lockdownCapabilities';
import type { AppInfo } from '../../../shared/ipc/contract';
import { fail, ok } from '../../../shared/result';
import type { Services } from '../app/services';
import { DEFAULT_DEVICES } from '../services/camera/cameraService';
import { silentLogger } from '../services/logger';
import type { CameraSample } from '../services/systemCheck/checkItems';
import { FakeCamera } from './fakeMedia';

/** Fakes for the pre-exam steps' component tests: a server, a host and the browser's measures. */

export const webInfo: AppInfo = {
  hostKind: 'web',
  appVersion: '0.1.0',
  platform: 'linux',
  capabilities: { kiosk: false, contentProtection: false, processList: false, translatorView: false, lockdown: webLockdownCapabilities() },
};

export const checks: StartChecks = { consent: true, systemCheck: 'missing', identity: 'not_required', translator: null, translatorRequired: true };

export const exam: ExamSummary = {
  id: 'trial',
  code: 'TRIAL',
  title: 'Sample Proctored Trial Test',
  kind: 'practice',
  description: 'Practice',
  passPercent: 60,
  windowOpensAt: null,
  windowClosesAt: null,
  allowWebClient: true,
  policy: ExamPolicy.parse({}),
  timeMultiplier: 1,
  sections: [
    { id: 'a', title: 'Part A', durationMinutes: 20, questionCount: 3 },
    { id: 'b', title: 'Part B', durationMinutes: 30, questionCount: 2 },
  ],
  attempt: null,
};

export const session: SessionView = {
  id: 's1',
  examId: 'trial',
  examTitle: exam.title,
  practice: true,
  status: 'created',
  client: 'web',
  timeMultiplier: 1,
  createdAt: '2030-06-01T08:00:00.000Z',
  startedAt: null,
  submittedAt: null,
  sections: [],
  answers: [],
  maxSequence: 0,
  checks,
  control: { pausedSince: null, unreadMessages: [], endedReason: null },
};

export function stepWorld() {
  const calls: Array<{ name: string; args: unknown }> = [];
  const replies: Record<string, () => unknown> = {};
  const state = {
    freeBytes: 50e9,
    minimumAppVersion: '0.1.0',
    dbfs: -20,
    sample: { frames: 5, width: 640, height: 480, meanLuminance: 120, waitedMs: 300 } as CameraSample,
    saveFails: false,
    levelListeners: new Set<(dbfs: number) => void>(),
    hostCalls: [] as Array<{ channel: string; request: unknown }>,
    translatorVisible: 'ok' as 'ok' | 'unsupported',
  };
  const call = (async (name: string, args: { params?: { sessionId: string }; body?: unknown }) => {
    calls.push({ name, args });
    const scripted = replies[name];
    if (scripted) return scripted();
    switch (name) {
      case 'versionPolicy':
        return ok({ minimumAppVersion: state.minimumAppVersion, serverVersion: '0.1.0' });
      case 'saveSystemCheck': {
        if (state.saveFails) return fail('internal', 'db down');
        const report = args.body as { items: CheckItem[] };
        const failed = report.items.some((i) => i.status === 'fail');
        return ok({ ...session, checks: { ...checks, systemCheck: failed ? 'failed' : 'passed' } });
      }
      case 'recordConsent':
        return ok({ ...session, checks: { ...checks, consent: true } });
      case 'chooseTranslator':
        return ok({ ...session, checks: { ...checks, translator: (args.body as { translator: string }).translator } });
      default:
        return fail('internal', `unexpected ${name}`);
    }
  }) as unknown as Services['api']['call'];
  const camera = new FakeCamera();
  let mono = 0;
  const services = {
    host: {
      'system:probe': async () => fail('unsupported', 'a browser cannot look'),
      'recording:checkDisk': async ({ requiredBytes }: { requiredBytes: number }) => ok({ freeBytes: state.freeBytes, enough: state.freeBytes >= requiredBytes * 1.1 }),
      'translator:setVisible': async (request: { visible: boolean; translator?: string }) => {
        state.hostCalls.push({ channel: 'translator:setVisible', request });
        return state.translatorVisible === 'ok' ? ok({ visible: request.visible, translator: request.translator ?? null }) : fail('unsupported', 'no view');
      },
    },
    appInfo: webInfo,
    api: { call },
    camera,
    recording: { devices: () => DEFAULT_DEVICES, setDevices: () => {} },
    ocr: { warm: async () => ok({ ms: 575 }) },
    systemCheck: {
      media: {
        sampleCamera: async () => state.sample,
        listenLevel: (_stream: MediaStream, onLevel: (dbfs: number) => void) => {
          state.levelListeners.add(onLevel);
          onLevel(state.dbfs);
          return () => state.levelListeners.delete(onLevel);
        },
      },
      browserFacts: () => ({ extended: false, fullscreenEnabled: true }),
      randomBytes: (n: number) => new Uint8Array(n),
      monotonicNow: () => mono,
      uploadProbe: async (bytes: Uint8Array) => {
        mono += 250;
        return ok({ receivedBytes: bytes.byteLength, serverMs: 2 });
      },
    },
    setTimeout: (fn: () => void, ms: number) => {
      const id = setTimeout(fn, Math.min(ms, 20));
      return () => clearTimeout(id);
    },
    now: () => Date.parse('2030-06-01T09:00:00.000Z'),
    log: silentLogger,
  } as unknown as Services;
  const level = (dbfs: number) => {
    for (const l of [...state.levelListeners]) l(dbfs);
  };
  return { services, calls, replies, state, camera, level };
}

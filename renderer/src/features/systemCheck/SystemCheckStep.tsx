import { useEffect, useRef, useState } from 'react';
import type { CheckId, CheckItem, SystemCheckReport } from '../../../../shared/api/checks';
import { useServices } from '../../app/services';
import { describeError } from '../../services/api/errorText';
import {
  cameraItem,
  CHECK_ORDER,
  HEARD_DBFS,
  LISTEN_MS,
  microphoneItem,
  summarize,
  summarySentence,
} from '../../services/systemCheck/checkItems';
import { listenForSound } from '../../services/systemCheck/listenForSound';
import { runSystemCheck } from '../../services/systemCheck/runSystemCheck';
import { meterFraction } from '../../services/systemCheck/signalStats';
import { formatBytes } from '../recording/format';
import { LiveVideo } from '../recording/LiveVideo';
import { trackDeviceId, useCameraPreview, type PreviewState } from '../recording/useCameraPreview';
import type { PreExamStepProps } from '../preExam/stepTypes';
import { CheckList } from './CheckList';
import { DevicePickers } from './DevicePickers';
import { LockdownDetails } from './LockdownDetails';
import { MicMeter } from './MicMeter';
import { useMicLevel } from './useMicLevel';
import { useStepHeading } from './useStepHeading';

type RunPhase = 'running' | 'saving' | 'saved' | 'save_failed';
interface RunState {
  readonly phase: RunPhase;
  readonly items: Partial<Record<CheckId, CheckItem>>;
  readonly report: SystemCheckReport | null;
  readonly error: string | null;
}
const STARTING: RunState = { phase: 'running', items: {}, report: null, error: null };

/** Frames the camera must deliver, and how long to wait for them. */
const CAMERA_FRAMES = 5;
const CAMERA_TIMEOUT_MS = 5000;

/**
 * The system check: every item of the learner's computer at once, each with pass, warn,
 * fail or "not supported here" and one sentence on how to fix it. Each run's report is saved with
 * the session for the proctor; Continue needs a saved report with no failed item.
 */
export function SystemCheckStep({ exam, session, onSessionChange, onDone }: PreExamStepProps) {
  const services = useServices();
  const { systemCheck } = services;
  const heading = useStepHeading();
  const preview = useCameraPreview();
  const stream = preview.state.phase === 'live' ? preview.state.stream : null;
  const level = useMicLevel(systemCheck.media, stream);
  const [round, setRound] = useState(0);
  const [run, setRun] = useState<RunState>(STARTING);
  const [announcement, setAnnouncement] = useState('');

  // The run reads the latest props without restarting when the parent hands in a new session.
  const latest = useRef({ services, exam, session, onSessionChange });
  useEffect(() => {
    latest.current = { services, exam, session, onSessionChange };
  });

  const previewState = preview.state;
  useEffect(() => {
    if (previewState.phase === 'opening') return;
    let live = true;
    const { services: s, exam: e, session: current } = latest.current;
    // A new run (first open, Check again, another device, a camera lost) starts from a blank list.
    queueMicrotask(() => {
      if (!live) return;
      setRun(STARTING);
      setAnnouncement('Checking your computer…');
    });
    const totalMinutes = e.sections.reduce((sum, section) => sum + section.durationMinutes, 0) * current.timeMultiplier;
    void runSystemCheck(
      { host: s.host, api: s.api, env: s.systemCheck, ocr: s.ocr, appInfo: s.appInfo, now: s.now, formatBytes, log: s.log },
      {
        policy: e.policy,
        totalMinutes,
        camera: () => measureCamera(s.systemCheck.media, previewState),
        microphone: () => measureMicrophone(s, previewState),
        onItem: (item) => live && setRun((r) => ({ ...r, items: { ...r.items, [item.id]: item } })),
      },
    ).then(async (report) => {
      if (!live) return;
      setRun((r) => ({ ...r, phase: 'saving', report }));
      const saved = await s.api.call('saveSystemCheck', { params: { sessionId: current.id }, body: report });
      if (!live) return;
      const sentence = summarySentence(summarize(report.items));
      if (saved.ok) {
        latest.current.onSessionChange(saved.value);
        setRun((r) => ({ ...r, phase: 'saved' }));
        setAnnouncement(sentence);
      } else {
        s.log.warn('system check report not saved', { code: saved.error.code });
        const error = `The result could not be saved for your proctor. ${describeError(saved.error)}`;
        setRun((r) => ({ ...r, phase: 'save_failed', error }));
        setAnnouncement(`${sentence} ${error}`);
      }
    });
    return () => {
      live = false;
    };
  }, [previewState, round]);

  const summary = run.report ? summarize(run.report.items) : null;
  const busy = run.phase === 'running' || run.phase === 'saving';
  const canContinue = run.phase === 'saved' && summary !== null && !summary.blocks;
  const why = busy
    ? 'You can continue when the check has finished.'
    : run.phase === 'save_failed'
      ? 'You can continue once the result is saved: choose Check again.'
      : 'You can continue when no item has failed.';
  const heard = run.items.microphone?.status === 'pass' || level > meterFraction(HEARD_DBFS);

  return (
    <section className="card system-check" aria-labelledby="system-check-heading" aria-busy={busy}>
      <h2 id="system-check-heading" ref={heading} tabIndex={-1}>
        System check
      </h2>
      <p className="muted">
        Invigil checks that this computer can run the exam: your camera and microphone, your screens, other applications, your
        connection and disk, and this app. Each item says how to fix it if something is wrong.
      </p>
      <div className="system-check__body">
        <div className="system-check__media">
          <div className="system-check__preview">
            <LiveVideo stream={stream} label="Your camera preview" className="system-check__video" />
            {preview.state.phase === 'opening' && <p className="system-check__overlay">Starting your camera…</p>}
          </div>
          <MicMeter level={level} heard={heard} />
          <DevicePickers
            devices={preview.devices}
            choice={preview.choice}
            cameraId={preview.choice.cameraId ?? trackDeviceId(stream, 'video') ?? ''}
            microphoneId={preview.choice.microphoneId ?? trackDeviceId(stream, 'audio') ?? ''}
            disabled={busy}
            onChoose={preview.choose}
          />
        </div>
        <CheckList ids={CHECK_ORDER} items={run.items} details={{ lockdown: <LockdownDetails model={services.appInfo.capabilities.lockdown} /> }} />
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {summary && !busy && (
        <p className={`system-check__summary system-check__summary--${summary.blocks ? 'fail' : 'ok'}`} aria-hidden="true">
          {summarySentence(summary)}
        </p>
      )}
      {run.error && (
        <div className="notice notice--danger">
          <p>{run.error}</p>
        </div>
      )}
      <div className="system-check__actions">
        <button
          type="button"
          className="button button--secondary"
          disabled={busy}
          onClick={() => {
            if (preview.state.phase === 'failed') preview.retry();
            else setRound((n) => n + 1);
          }}
        >
          Check again
        </button>
        <button type="button" className="button button--primary" disabled={!canContinue} aria-describedby={canContinue ? undefined : 'system-check-why'} onClick={onDone}>
          Continue
        </button>
        {!canContinue && (
          <span id="system-check-why" className="muted system-check__why">
            {why}
          </span>
        )}
      </div>
    </section>
  );
}

async function measureCamera(media: ReturnType<typeof useServices>['systemCheck']['media'], state: PreviewState): Promise<CheckItem> {
  if (state.phase === 'failed') return cameraItem({ ok: false, code: state.code });
  if (state.phase !== 'live') return cameraItem({ ok: false, code: 'unknown' });
  const sample = await media.sampleCamera(state.stream, { minFrames: CAMERA_FRAMES, timeoutMs: CAMERA_TIMEOUT_MS });
  return cameraItem({ ok: true, sample });
}

async function measureMicrophone(s: ReturnType<typeof useServices>, state: PreviewState): Promise<CheckItem> {
  if (state.phase === 'failed') return microphoneItem({ ok: false, code: state.code });
  if (state.phase !== 'live' || state.stream.getAudioTracks().length === 0) return microphoneItem({ ok: false, code: 'no_track' });
  const sound = await listenForSound(s.systemCheck.media, state.stream, { setTimeout: s.setTimeout, now: () => s.systemCheck.monotonicNow() }, LISTEN_MS);
  return microphoneItem({ ok: true, sound });
}

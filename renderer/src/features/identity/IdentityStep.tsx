import { useEffect, useRef, useState } from 'react';
import { MAX_IDENTITY_ATTEMPTS, type FaceBox, type IdAttemptResult } from '../../../../shared/api/identity';
import { documentSeen, NO_ID_FIELDS } from '../../../../shared/ocr/idFields';
import { useServices } from '../../app/services';
import { describeError } from '../../services/api/errorText';
import { cameraErrorText } from '../../services/camera/cameraErrors';
import { descriptorDistance } from '../../services/face/faceService';
import type { OcrProgress } from '../../services/ocr/ocrService';
import { blobToBase64, type Still } from '../../services/stillCapture/stillCamera';
import type { PreExamStepProps } from '../preExam/stepTypes';
import { FaceCapture, type FacePhoto } from './FaceCapture';
import { IdCapture } from './IdCapture';
import { IdResult } from './IdResult';
import { progressText } from './identityText';
import { cardFace } from './cardAnalysis';
import { useFocusOnMount } from './useFocusOnMount';
import { useStillStream } from './useStillStream';

type Stage =
  | { readonly kind: 'loading' }
  | { readonly kind: 'face' }
  | { readonly kind: 'id'; readonly attempt: number }
  | { readonly kind: 'reading'; readonly attempt: number; readonly progress: OcrProgress | null; readonly sending: boolean }
  | { readonly kind: 'result'; readonly result: IdAttemptResult; readonly readerProblem: string | null }
  | { readonly kind: 'done'; readonly status: 'passed' | 'manual_review' };

/**
 * The identity check: a face photo, then up to three photos of the learner's ID, each
 * read offline and sent with what was read; the server gives the verdict. After a failed attempt
 * the learner may go on, flagged for a proctor to verify by eye.
 */
export function IdentityStep({ session, onSessionChange, onDone }: PreExamStepProps) {
  const { api, ocr, faces, stills, announcer, now, log, monitor } = useServices();
  const initial = session.checks.identity;
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [stage, setStage] = useState<Stage>(() =>
    initial === 'passed' || initial === 'manual_review' ? { kind: 'done', status: initial } : initial === 'not_started' ? { kind: 'face' } : { kind: 'loading' },
  );
  const [error, setError] = useState<{ text: string; retry: (() => void) | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [cameraRound, setCameraRound] = useState(0);
  const facePhoto = useRef<FacePhoto | null>(null);
  const sessionId = session.id;

  const cameraNeeded = stage.kind === 'face' || stage.kind === 'id';
  const camera = useStillStream(cameraNeeded, cameraRound);

  // Not required for this exam: nothing to show.
  useEffect(() => {
    if (initial === 'not_required') onDone();
  }, [initial, onDone]);

  // Resuming a check begun earlier: the server knows whether the face photo and which attempts are done.
  useEffect(() => {
    if (initial !== 'in_progress') return;
    let live = true;
    void api.call('getIdentity', { params: { sessionId } }).then((record) => {
      if (!live) return;
      if (!record.ok) {
        setError({ text: describeError(record.error), retry: null });
        setStage({ kind: 'face' });
        return;
      }
      const last = record.value.attempts[record.value.attempts.length - 1];
      const hasFace = record.value.images.some((i) => i.kind === 'face');
      if (last) setStage({ kind: 'result', result: last, readerProblem: null });
      else setStage(hasFace ? { kind: 'id', attempt: 1 } : { kind: 'face' });
    });
    return () => {
      live = false;
    };
  }, [api, initial, sessionId]);

  const saveFace = async (photo: FacePhoto) => {
    setBusy(true);
    setError(null);
    const reply = await api.call('submitFacePhoto', {
      params: { sessionId },
      body: {
        image: await blobToBase64(photo.still.jpeg),
        width: photo.still.width,
        height: photo.still.height,
        faces: [...photo.faces],
        takenAt: new Date(now()).toISOString(),
      },
    });
    setBusy(false);
    if (!reply.ok) {
      setError({ text: describeError(reply.error), retry: () => void saveFace(photo) });
      return;
    }
    facePhoto.current = photo;
    // Kept for the exam's periodic comparison with the live face (different_person flags).
    if (photo.descriptor) monitor.rememberIdentityFace(session.id, photo.descriptor);
    announcer.announce('Face photo saved. Next: a photo of your ID.');
    setStage({ kind: 'id', attempt: 1 });
  };

  const submitAttempt = async (attempt: number, still: Still, capture: 'auto' | 'button') => {
    setError(null);
    setStage({ kind: 'reading', attempt, progress: null, sending: false });
    announcer.announce('Reading your ID. This takes a few seconds.');
    const takenAt = new Date(now()).toISOString();
    const size = { width: still.width, height: still.height };
    const [read, idFaces] = await Promise.all([
      ocr.readId(still.canvas, size, (progress) => setStage((s) => (s.kind === 'reading' ? { ...s, progress } : s))),
      faces.detect(still.canvas, { withDescriptor: true }),
    ]);
    if (!read.ok) log.warn('ID reader failed', { code: read.error.code });
    // A still in which no document was read (no name, no number, no MRZ) may show the learner rather
    // than a card: comparing that face with the face photo would report a match that means nothing.
    const printed = idFaces.ok && read.ok && documentSeen(read.value.fields) ? cardFace(idFaces.value, still.width, still.height) : null;
    const idFace: FaceBox | null = printed?.box ?? null;
    const mine = facePhoto.current?.descriptor ?? null;
    const theirs = printed?.descriptor ?? null;
    const faceDistance = mine && theirs ? descriptorDistance(mine, theirs) : null;
    const readerProblem = read.ok
      ? null
      : read.error.code === 'engine_unavailable'
        ? 'The ID reader could not start on this computer, so your ID was not read here. Your photo was sent: a proctor can check it.'
        : 'The ID reader stopped with an error, so your ID was not read. Your photo was sent: a proctor can check it.';
    const body = {
      attempt,
      image: await blobToBase64(still.jpeg),
      width: still.width,
      height: still.height,
      capture,
      fields: read.ok ? read.value.fields : NO_ID_FIELDS,
      ocrMs: read.ok ? Math.round(read.value.ms) : 0,
      idFace,
      faceDistance,
      takenAt,
    };
    const send = async () => {
      setError(null);
      setStage({ kind: 'reading', attempt, progress: null, sending: true });
      const reply = await api.call('submitIdAttempt', { params: { sessionId }, body });
      if (!reply.ok) {
        if (reply.error.code === 'identity_attempts_exhausted') {
          setError({ text: 'All attempts have been used. You can continue: a proctor will verify your ID.', retry: null });
          setStage({ kind: 'result', result: exhausted(attempt, reply.error.message), readerProblem });
          return;
        }
        setError({ text: describeError(reply.error), retry: () => void send() });
        return;
      }
      stills.discard(still);
      const result = reply.value;
      announcer.announce(result.status === 'passed' ? 'Identity check passed.' : `Identity check not passed. ${result.reason}`);
      setStage({ kind: 'result', result, readerProblem });
    };
    await send();
  };

  /** Takes the session with its new identity status from the server, then hands over to the next step. */
  const finish = async (call: () => Promise<{ ok: boolean; error?: { code: string; message: string } }>) => {
    setBusy(true);
    setError(null);
    const done = await call();
    if (!done.ok) {
      setBusy(false);
      setError({ text: describeError(done.error!), retry: () => void finish(call) });
      return;
    }
    const fresh = await api.call('getSession', { params: { sessionId } });
    setBusy(false);
    if (!fresh.ok) {
      setError({ text: describeError(fresh.error), retry: () => void finish(async () => ({ ok: true })) });
      return;
    }
    onSessionChange(fresh.value);
    onDone();
  };

  const continueUnverified = (result: IdAttemptResult) =>
    void finish(async () => {
      const reply = await api.call('continueUnverified', {
        params: { sessionId },
        body: { reason: result.attemptsLeft === 0 ? 'attempts_exhausted' : 'learner_choice' },
      });
      if (reply.ok) announcer.announce('A proctor will verify your ID. You can continue.');
      return reply;
    });

  if (initial === 'not_required') return null;
  return (
    <section className="card identity" aria-labelledby="identity-heading">
      <h2 id="identity-heading" ref={heading} tabIndex={-1}>
        Identity check
      </h2>
      <p className="muted">
        A photo of your face and a photo of your ID, so a proctor can confirm it is you taking the exam. Your ID is read on this computer;
        the photos and the name read are sent to the programme and kept like your recording.
      </p>
      {cameraNeeded && camera.phase === 'failed' && (
        <div className="notice notice--danger" role="alert">
          <p>
            <strong>{cameraErrorText(camera.code).problem}</strong> {cameraErrorText(camera.code).fix}
          </p>
          <button type="button" className="button button--secondary" onClick={() => setCameraRound((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {stage.kind === 'loading' && <p role="status">Loading your identity check…</p>}
      {stage.kind === 'face' && <FaceCapture stream={camera.phase === 'live' ? camera.stream : null} busy={busy} onUse={(p) => void saveFace(p)} />}
      {stage.kind === 'id' && (
        <IdCapture
          key={stage.attempt}
          stream={camera.phase === 'live' ? camera.stream : null}
          attempt={stage.attempt}
          busy={busy}
          onUse={(still, capture) => void submitAttempt(stage.attempt, still, capture)}
        />
      )}
      {stage.kind === 'reading' && <Reading attempt={stage.attempt} progress={stage.progress} sending={stage.sending} />}
      {stage.kind === 'result' && (
        <IdResult
          result={stage.result}
          readerProblem={stage.readerProblem}
          busy={busy}
          onRetry={() => setStage({ kind: 'id', attempt: stage.result.attempt + 1 })}
          onContinue={() => void finish(async () => ({ ok: true }))}
          onContinueUnverified={() => continueUnverified(stage.result)}
        />
      )}
      {stage.kind === 'done' && <Done status={stage.status} onContinue={onDone} />}
      {error && (
        <div className="notice notice--danger" role="alert">
          <p>{error.text}</p>
          {error.retry && (
            <button type="button" className="button button--secondary" onClick={error.retry} disabled={busy}>
              Try again
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function Reading({ attempt, progress, sending }: { readonly attempt: number; readonly progress: OcrProgress | null; readonly sending: boolean }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const percent = progress?.fraction === null || !progress ? undefined : Math.round(progress.fraction * 100);
  // While sent, the server reads the photo and compares the faces itself: a few seconds with no measure.
  const text = sending ? 'Checking your ID on the server…' : progressText(progress);
  return (
    <div className="identity__stage">
      <h3 ref={heading} tabIndex={-1}>
        Reading your ID (attempt {attempt} of {MAX_IDENTITY_ATTEMPTS})
      </h3>
      <p className="muted">
        {sending
          ? 'Your photo was sent; the server reads it again and compares it with your face photo. This takes a few seconds.'
          : 'Your ID is read on this computer; nothing is sent until it is done.'}
      </p>
      <progress className="identity__progress" max={100} value={sending ? undefined : percent} aria-label="ID reading progress" />
      <p role="status" aria-live="polite">
        {text}
      </p>
    </div>
  );
}

function Done({ status, onContinue }: { readonly status: 'passed' | 'manual_review'; readonly onContinue: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div className="identity__stage">
      <h3 ref={heading} tabIndex={-1}>
        {status === 'passed' ? 'Identity check passed' : 'Identity check: a proctor will verify your ID'}
      </h3>
      <p>
        <span aria-hidden="true">{status === 'passed' ? '✓ ' : '• '}</span>
        {status === 'passed'
          ? 'The name on your ID matched your registered name.'
          : 'Your photos were kept for a proctor, who will compare them with your registered name. You can take the exam meanwhile.'}
      </p>
      <div className="actions">
        <button type="button" className="button button--primary" onClick={onContinue}>
          Continue
        </button>
      </div>
    </div>
  );
}

/** The server refused a fourth attempt: only "continue" is left. */
function exhausted(attempt: number, reason: string): IdAttemptResult {
  return {
    attempt,
    nameVerdict: 'unreadable',
    reason,
    differences: [],
    registeredName: '',
    readName: null,
    faceVerdict: 'unknown',
    status: 'in_progress',
    attemptsLeft: 0,
  };
}

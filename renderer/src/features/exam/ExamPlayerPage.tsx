import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import type { SessionView } from '../../../../shared/api/sessions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { usePageHeading } from '../../components/usePageHeading';
import type { SyncStatus } from '../../services/answers/answerSync';
import { LeaveExamDialog } from './LeaveExamDialog';
import { SaveIndicator } from './SaveIndicator';
import { SectionPanel } from './SectionPanel';
import { SectionsNav } from './SectionsNav';
import { SubmitExamDialog } from './SubmitExamDialog';
import { useCountdowns } from './useCountdowns';
import { useExamSession } from './useExamSession';
import { LoadFailed } from '../../components/LoadFailed';
import { useServices } from '../../app/services';
import { RecordingAlerts } from '../recording/RecordingAlerts';
import { RecordingIndicator } from '../recording/RecordingIndicator';
import { SelfView } from '../recording/SelfView';
import { useSessionRecorder, useUploadProgress } from '../recording/useRecording';
import { useRelock } from './useRelock';
import { TranslatorPanelToggle } from '../translator/TranslatorPanelToggle';
import { allowedTranslators } from '../../../../shared/domain/translatorUrls';
import { SessionMonitoring } from '../monitoring/SessionMonitoring';
import { LearnerLiveControls } from '../live/LearnerLiveControls';
import { PausedScreen, ProctorMessageDialog, useLearnerControl } from '../live/LearnerControl';

export function ExamPlayerPage() {
  const { sessionId = '' } = useParams();
  return <SessionPlayer key={sessionId} sessionId={sessionId} />;
}

function SessionPlayer({ sessionId }: { readonly sessionId: string }) {
  const exam = useExamSession(sessionId);
  const { state } = exam;
  const { recording, lockdown } = useServices();
  const finished = state.phase === 'finished';
  useEffect(() => {
    // Submitted elsewhere, or every section's time ran out: the recording and the lockdown end with the exam.
    if (!finished) return;
    void recording.stop(sessionId, 'submitted');
    void lockdown.release(sessionId);
  }, [finished, recording, lockdown, sessionId]);
  if (state.phase === 'finished') return <Navigate to={`/sessions/${sessionId}/receipt`} replace state={{ endedReason: state.endedReason }} />;
  if (state.phase === 'loading') return <p role="status" className="page">Loading your exam…</p>;
  if (state.phase === 'failed') {
    return (
      <div className="page">
        <LoadFailed message={state.message} />
        <Link to="/exams">Back to your exams</Link>
      </div>
    );
  }
  return <Player session={state.session} exam={exam} />;
}

const warningText = (minutes: number) =>
  `${minutes} ${minutes === 1 ? 'minute' : 'minutes'} left in this section. Your answers are saved as you go.`;

function Player({ session, exam }: { readonly session: SessionView; readonly exam: ReturnType<typeof useExamSession> }) {
  const navigate = useNavigate();
  const heading = usePageHeading(session.examTitle);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // Per section: a warning about a section that has since closed would be stale.
  const [announcement, setAnnouncement] = useState<{ sectionId: string; text: string } | null>(null);
  const [dialog, setDialog] = useState<'none' | 'section' | 'exam' | 'leave'>('none');
  // "I need to leave" done: the lockdown has ended; the attempt stays resumable.
  const [left, setLeft] = useState(false);
  const [sectionError, setSectionError] = useState<string | null>(null);
  const [sectionBusy, setSectionBusy] = useState(false);
  const { recording, uploads, announcer, lockdown, log } = useServices();
  const { recorder, status: recordingStatus } = useSessionRecorder(session.id);
  const upload = useUploadProgress(session.id);
  const control = useLearnerControl(session, exam.refresh);

  useEffect(() => {
    // Recording runs from exam start to submit. After a reload, or on Resume, this starts a new take
    // (the host closes the interrupted one); when the start page already started it, this keeps it.
    void recording.ensure(session.id).then((r) => !r.ok && log.warn('recording not started', { code: r.error.code }));
    void uploads.ensureAuthorized(session.id);
  }, [recording, uploads, log, session.id]);
  const policy = useRelock(session);
  const translatorsAllowed =
    policy === null || policy.translators === 'none'
      ? []
      : allowedTranslators({ mode: policy.translators, allowed: policy.approvedTranslators }, session.checks.translator ?? undefined);
  // Quitting the desktop app mid-exam is refused by the host; the learner is offered the submit dialog.
  useEffect(() => lockdown.onQuitRequested(() => setDialog('exam')), [lockdown]);

  const remaining = useCountdowns(session.sections, {
    onWarning: (sectionId, minutes) => {
      setAnnouncement({ sectionId, text: warningText(minutes) });
      announcer.announce(warningText(minutes));
    },
    onExpire: (sectionId) => {
      const text = 'The time for this section has ended. Your answers are being submitted.';
      setAnnouncement({ sectionId, text });
      announcer.announce(text);
      void exam.expireSection(sectionId);
    },
  });

  const fallback = session.sections.find((s) => s.state === 'open') ?? session.sections.find((s) => s.state === 'not_opened') ?? session.sections[0];
  const selected = session.sections.find((s) => s.id === selectedId) ?? fallback;
  const index = selected ? session.sections.indexOf(selected) : 0;
  const announced = session.sections.find((s) => s.id === announcement?.sectionId)?.state === 'open' ? (announcement?.text ?? '') : '';

  const submitSection = async () => {
    if (!selected) return;
    setSectionBusy(true);
    const result = await exam.submitSection(selected.id);
    setSectionBusy(false);
    setDialog('none');
    setSectionError(result.ok ? null : result.error.message);
  };

  const leaveExam = async (reason: string) => {
    // The take ends here and is uploaded like any other; Resume starts a new one.
    await recording.stop(session.id, 'interrupted').catch(() => log.warn('recording not stopped on leaving', { sessionId: session.id }));
    await lockdown.leave(session.id, reason);
    setDialog('none');
    setLeft(true);
  };

  if (left) return <LeftExam examTitle={session.examTitle} />;

  return (
    <div className="player">
      <div className="player__header">
        <div>
          <p className="player__eyebrow">{session.practice ? 'Trial test' : 'Final exam'}</p>
          <h1 ref={heading} tabIndex={-1} className="player__title">
            {session.examTitle}
          </h1>
        </div>
        <div className="player__aside">
          <LearnerLiveControls sessionId={session.id} stream={recorder?.stream ?? null} onControl={control.onEvent} />
          <SelfView stream={recorder?.stream ?? null} />
        </div>
      </div>
      {control.paused ? (
        <PausedScreen />
      ) : (
        <>
          <div className="player__body">
            <SectionsNav sections={session.sections} selectedId={selected?.id ?? null} remaining={remaining} onSelect={setSelectedId} />
            <div className="player__main">
              {/* Seen here; heard through the announcer (outside the app root, so dialogs cannot mute it). */}
              <div aria-hidden="true" className={announced ? 'notice notice--warning live-warning' : 'live-warning--empty'}>
                {announced}
              </div>
              <RecordingAlerts recorder={recorder} status={recordingStatus} />
              <SessionMonitoring session={session} recorder={recorder} />
              {exam.rejectedLate > 0 && (
                <p className="notice notice--danger">
                  {exam.rejectedLate} {exam.rejectedLate === 1 ? 'answer' : 'answers'} reached the server after the section closed and{' '}
                  {exam.rejectedLate === 1 ? 'was' : 'were'} not accepted.
                </p>
              )}
              {exam.rejectedInvalid > 0 && (
                <p className="notice notice--danger">
                  The server refused {exam.rejectedInvalid} {exam.rejectedInvalid === 1 ? 'answer' : 'answers'} as not valid for the
                  question. Check your answers in this section and give them again; if this keeps happening, tell your proctor.
                </p>
              )}
              {sectionError !== null && (
                <div className="notice notice--danger" role="alert">
                  {sectionError}
                </div>
              )}
              {selected && (
                <SectionPanel
                  key={selected.id}
                  section={selected}
                  index={index}
                  timeMultiplier={session.timeMultiplier}
                  remaining={remaining.get(selected.id)}
                  timeUp={exam.timeUp.has(selected.id)}
                  answers={exam.answers}
                  onAnswer={(questionId, value, debounce) => exam.setAnswer(selected.id, questionId, value, debounce)}
                  onCommit={exam.commit}
                  onOpen={() => exam.openSection(selected.id)}
                />
              )}
            </div>
          </div>
          <footer className="player__footer">
            <div className="player__status">
              <SaveIndicator status={exam.status} />
              <RecordingIndicator status={recordingStatus} upload={upload} />
            </div>
            <TranslatorPanelToggle allowed={translatorsAllowed} />
            <div className="player__actions">
              <button type="button" className="button button--ghost" onClick={() => setDialog('leave')}>
                I need to leave
              </button>
              {selected?.state === 'open' && !exam.timeUp.has(selected.id) && (
                <button type="button" className="button button--secondary" onClick={() => setDialog('section')}>
                  Submit section
                </button>
              )}
              <button type="button" className="button button--primary" onClick={() => setDialog('exam')}>
                Submit exam
              </button>
            </div>
          </footer>
        </>
      )}
      {!control.paused && <ProctorMessageDialog control={control} />}
      {!control.paused && dialog === 'section' && selected && (
        <ConfirmDialog
          title={`Submit “${selected.title}”?`}
          confirmLabel="Submit section"
          busy={sectionBusy}
          onConfirm={() => void submitSection()}
          onCancel={() => setDialog('none')}
        >
          <p>Your answers in this section are saved and sent. After submitting you cannot see or change them, even if time is left.</p>
        </ConfirmDialog>
      )}
      {!control.paused && dialog === 'exam' && (
        <SubmitExamDialog
          session={session}
          answers={exam.answers}
          onCancel={() => setDialog('none')}
          onSubmit={async () => {
            // The take ends as `submitted` before the server closes the session, so its last segment is on its way.
            await recording.stop(session.id, 'submitted');
            const result = await exam.submitExam();
            if (result.ok) {
              await lockdown.release(session.id);
              navigate(`/sessions/${session.id}/receipt`);
            }
            // Not submitted: the exam goes on, and so does the recording (a new take).
            else void recording.ensure(session.id);
            return result;
          }}
        />
      )}
      {!control.paused && dialog === 'leave' && <LeaveExamDialog onLeave={leaveExam} onCancel={() => setDialog('none')} />}
      {exam.status.kind === 'error' && exam.status.blocking && <BlockingSaveError status={exam.status} onRetry={exam.commit} />}
    </div>
  );
}

/** After "I need to leave": what happened, and how to come back. */
function LeftExam({ examTitle }: { readonly examTitle: string }) {
  const heading = usePageHeading('You have left the exam');
  return (
    <div className="page">
      <h1 ref={heading} tabIndex={-1}>
        You have left the exam
      </h1>
      <p>The exam lockdown has ended and your reason was recorded for your proctor. Your answers are saved.</p>
      <p>
        This attempt stays open: to go on, choose Resume on “{examTitle}” in your exams. The time of a section you have opened
        keeps running on the server, so come back before it ends.
      </p>
      <p>You can close Invigil now.</p>
      <Link to="/exams">Back to your exams</Link>
    </div>
  );
}

function BlockingSaveError({ status, onRetry }: { readonly status: Extract<SyncStatus, { kind: 'error' }>; readonly onRetry: () => void }) {
  return (
    <Dialog
      title="Your answers cannot be saved"
      // Not dismissable: working on while nothing is saved would lose answers.
      onCancel={() => undefined}
      actions={
        <button type="button" className="button button--primary" onClick={onRetry}>
          Try saving again
        </button>
      }
    >
      <p role="alert">{status.message}</p>
    </Dialog>
  );
}

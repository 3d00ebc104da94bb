import { useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import type { SessionView } from '../../../../shared/api/sessions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { usePageHeading } from '../../components/usePageHeading';
import type { SyncStatus } from '../../services/answers/answerSync';
import { SaveIndicator } from './SaveIndicator';
import { SectionPanel } from './SectionPanel';
import { SectionsNav } from './SectionsNav';
import { SubmitExamDialog } from './SubmitExamDialog';
import { useCountdowns } from './useCountdowns';
import { useExamSession } from './useExamSession';
import { LoadFailed } from '../../components/LoadFailed';

export function ExamPlayerPage() {
  const { sessionId = '' } = useParams();
  return <SessionPlayer key={sessionId} sessionId={sessionId} />;
}

function SessionPlayer({ sessionId }: { readonly sessionId: string }) {
  const exam = useExamSession(sessionId);
  const { state } = exam;
  if (state.phase === 'finished') return <Navigate to={`/sessions/${sessionId}/receipt`} replace />;
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
  const [dialog, setDialog] = useState<'none' | 'section' | 'exam'>('none');
  const [sectionError, setSectionError] = useState<string | null>(null);
  const [sectionBusy, setSectionBusy] = useState(false);

  const remaining = useCountdowns(session.sections, {
    onWarning: (sectionId, minutes) => setAnnouncement({ sectionId, text: warningText(minutes) }),
    onExpire: (sectionId) => {
      setAnnouncement({ sectionId, text: 'The time for this section has ended. Your answers are being submitted.' });
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

  return (
    <div className="player">
      <div className="player__header">
        <div>
          <p className="player__eyebrow">{session.practice ? 'Trial test' : 'Final exam'}</p>
          <h1 ref={heading} tabIndex={-1} className="player__title">
            {session.examTitle}
          </h1>
        </div>
      </div>
      <div className="player__body">
        <SectionsNav sections={session.sections} selectedId={selected?.id ?? null} remaining={remaining} onSelect={setSelectedId} />
        <div className="player__main">
          <div aria-live="assertive" aria-atomic="true" className={announced ? 'notice notice--warning live-warning' : 'live-warning--empty'}>
            {announced}
          </div>
          {exam.rejected > 0 && (
            <p className="notice notice--danger">
              {exam.rejected} {exam.rejected === 1 ? 'answer' : 'answers'} reached the server after the section closed and{' '}
              {exam.rejected === 1 ? 'was' : 'were'} not accepted.
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
        <SaveIndicator status={exam.status} />
        <div className="player__actions">
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
      {dialog === 'section' && selected && (
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
      {dialog === 'exam' && (
        <SubmitExamDialog
          session={session}
          answers={exam.answers}
          onCancel={() => setDialog('none')}
          onSubmit={async () => {
            const result = await exam.submitExam();
            if (result.ok) navigate(`/sessions/${session.id}/receipt`);
            return result;
          }}
        />
      )}
      {exam.status.kind === 'error' && exam.status.blocking && <BlockingSaveError status={exam.status} onRetry={exam.commit} />}
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

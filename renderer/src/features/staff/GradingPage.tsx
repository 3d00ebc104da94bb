import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { GradingExamSummary, GradingProgress, ResponseForMarking, ResponsesForMarkingResponse } from '../../../../shared/api/grading';
import { useServices } from '../../app/services';
import { LoadFailed } from '../../components/LoadFailed';
import { Notice } from '../../components/Notice';
import { usePageHeading } from '../../components/usePageHeading';
import { describeError } from '../../services/api/errorText';
import { ExamPicker } from './ExamPicker';
import { GradeForm } from './GradeForm';
import { useStaffExams } from './useStaffExams';
import { formatPoints, markingStateLabel, progressText } from './staffText';

const shorten = (text: string, max = 90): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Pick an exam, then a question, then mark its responses one at a time, blind. */
export function GradingPage() {
  const heading = usePageHeading('Grading');
  const { state, reload, params, setParams, examId } = useStaffExams();
  const questionId = params.get('question') ?? '';
  // Progress reported by the marking panel after each save, over what the list loaded.
  const [progress, setProgress] = useState<Record<string, GradingProgress>>({});

  const exams: readonly GradingExamSummary[] = state.phase === 'ready' ? state.value.exams.filter((e) => e.questions.length > 0) : [];
  const exam = exams.find((e) => e.examId === examId) ?? null;
  const question = exam?.questions.find((q) => q.questionId === questionId) ?? null;
  const onProgress = useCallback((id: string, p: GradingProgress) => setProgress((all) => ({ ...all, [`${examId}/${id}`]: p })), [examId]);

  return (
    <div className="page staff">
      <p className="breadcrumb">
        <Link to="/staff">Staff console</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Grading
      </h1>
      {state.phase === 'loading' && <p role="status">Loading the exams…</p>}
      {state.phase === 'failed' && <LoadFailed message={describeError(state.error)} onRetry={reload} />}
      {state.phase === 'ready' && exams.length === 0 && <p>No exam has short answers to grade.</p>}
      {exams.length > 0 && (
        <ExamPicker exams={exams} value={exam ? examId : ''} onChange={(id) => setParams(id ? { exam: id } : {})} />
      )}
      {exam && (
        <nav aria-labelledby="grading-questions" className="grading__questions">
          <h2 id="grading-questions">Questions to grade</h2>
          {exam.secondMarkingMargin !== null && (
            <p className="muted">
              Second marking: each response needs two markers; marks more than {formatPoints(exam.secondMarkingMargin)} points apart are disputed.
            </p>
          )}
          <ol className="grading__question-list">
            {exam.questions.map((q) => {
              const p = progress[`${exam.examId}/${q.questionId}`] ?? q.progress;
              return (
                <li key={q.questionId}>
                  <Link
                    to={`?exam=${encodeURIComponent(exam.examId)}&question=${encodeURIComponent(q.questionId)}`}
                    aria-current={q.questionId === questionId ? 'page' : undefined}
                  >
                    {shorten(q.prompt)}
                  </Link>{' '}
                  <span className="muted">
                    — {q.sectionTitle}, {formatPoints(q.points)} points — {progressText(p)}
                  </span>
                </li>
              );
            })}
          </ol>
        </nav>
      )}
      {exam && question && <MarkingPanel key={`${exam.examId}/${question.questionId}`} examId={exam.examId} questionId={question.questionId} onProgress={onProgress} />}
    </div>
  );
}

interface MarkingPanelProps {
  readonly examId: string;
  readonly questionId: string;
  readonly onProgress: (questionId: string, progress: GradingProgress) => void;
}

/** The ids to go through: those that need this marker, or every response when re-checking graded ones. */
const queueOf = (responses: readonly ResponseForMarking[], all: boolean): string[] =>
  responses.filter((r) => all || r.needsMyMark).map((r) => r.responseId);

function MarkingPanel({ examId, questionId, onProgress }: MarkingPanelProps) {
  const { api } = useServices();
  const [data, setData] = useState<ResponsesForMarkingResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  // Read by the load, which re-filters on its own when the box changes (toggleAll) without asking the server.
  const allRef = useRef(all);
  const [queue, setQueue] = useState<readonly string[]>([]);
  const [position, setPosition] = useState(0);
  const [round, setRound] = useState(0);
  const [status, setStatus] = useState('');
  const responseHeading = useRef<HTMLHeadingElement>(null);
  const moveFocus = useRef(false);
  const allId = useId();

  useEffect(() => {
    let live = true;
    void api.call('gradingResponses', { params: { examId, questionId } }).then((reply) => {
      if (!live) return;
      if (!reply.ok) {
        setError(describeError(reply.error));
        return;
      }
      setError(null);
      setData(reply.value);
      setQueue(queueOf(reply.value.responses, allRef.current));
      setPosition(0);
      onProgress(questionId, reply.value.progress);
    });
    return () => {
      live = false;
    };
  }, [api, examId, questionId, round, onProgress]);

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    responseHeading.current?.focus();
  }, [position, queue]);

  if (error !== null) return <LoadFailed message={error} onRetry={() => setRound((n) => n + 1)} />;
  if (!data) return <p role="status">Loading the responses…</p>;

  const current = data.responses.find((r) => r.responseId === queue[position]) ?? null;
  const next = () => {
    moveFocus.current = true;
    setPosition((p) => p + 1);
  };
  const toggleAll = (checked: boolean) => {
    allRef.current = checked;
    setAll(checked);
    setQueue(queueOf(data.responses, checked));
    setPosition(0);
  };

  const save = async (mark: { points: number; comment: string; agreed: boolean }): Promise<string | null> => {
    if (!current) return null;
    const reply = await api.call('recordGrade', { params: { examId, questionId, responseId: current.responseId }, body: mark });
    if (!reply.ok) return describeError(reply.error);
    const { response, progress } = reply.value;
    setData({ ...data, progress, responses: data.responses.map((r) => (r.responseId === response.responseId ? response : r)) });
    onProgress(questionId, progress);
    const where = response.state === 'graded' ? '' : ` (${markingStateLabel[response.state].toLowerCase()})`;
    setStatus(`Saved ${formatPoints(mark.points)} points${where}. ${progressText(progress)}.`);
    next();
    return null;
  };

  const { question } = data;
  return (
    <section className="grading__panel" aria-labelledby="grading-question-title">
      <div className="card grading__question">
        <h2 id="grading-question-title">Question</h2>
        <p className="grading__prompt">{question.prompt}</p>
        <p className="muted">Worth {formatPoints(question.points)} points.</p>
        <h3>Rubric</h3>
        <p className="grading__rubric">{question.rubric ?? 'This question has no rubric.'}</p>
      </div>
      <p className="grading__progress">
        <strong>{progressText(data.progress)}</strong>
      </p>
      <p role="status" aria-live="polite" className="grading__status">
        {status}
      </p>
      <label className="choice" htmlFor={allId}>
        <input id={allId} type="checkbox" checked={all} onChange={(e) => toggleAll(e.target.checked)} /> Include responses already graded
      </label>
      {current ? (
        <article className="card grading__response" aria-labelledby="grading-response-title">
          <h2 id="grading-response-title" ref={responseHeading} tabIndex={-1}>
            Response {position + 1} of {queue.length}
          </h2>
          <p className="muted">{markingStateLabel[current.state]}</p>
          <blockquote className="grading__answer">{current.text}</blockquote>
          {current.otherMarks.length > 0 && (
            <Notice tone={current.state === 'disputed' ? 'warning' : 'info'}>
              <p>
                Other {current.otherMarks.length === 1 ? 'mark' : 'marks'}:{' '}
                {current.otherMarks.map((m) => `${formatPoints(m.points)} points${m.comment ? ` (“${m.comment}”)` : ''}${m.agreed ? ', agreed' : ''}`).join('; ')}.
              </p>
              {current.state === 'disputed' && <p>Record a third mark, or the mark you agreed on.</p>}
            </Notice>
          )}
          <GradeForm
            key={current.responseId}
            maxPoints={question.points}
            initial={current.myMark}
            disputed={current.state === 'disputed'}
            onSave={save}
            onSkip={next}
          />
        </article>
      ) : (
        <div className="card grading__done">
          <h2 ref={responseHeading} tabIndex={-1}>
            {queue.length === 0 ? 'Nothing to grade here' : 'End of the list'}
          </h2>
          <p>
            {data.progress.toGrade === 0
              ? 'Every response to this question is graded.'
              : `${data.progress.toGrade} ${data.progress.toGrade === 1 ? 'response still needs' : 'responses still need'} a mark (skipped, or waiting for another marker).`}
          </p>
          <button type="button" className="button button--secondary" onClick={() => setRound((n) => n + 1)}>
            Check again
          </button>
        </div>
      )}
    </section>
  );
}

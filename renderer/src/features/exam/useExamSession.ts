import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { AnswerValue, SessionView } from '../../../../shared/api/sessions';
import { isFinished } from '../../../../shared/domain/sessionStatus';
import { fail, ok, type Result } from '../../../../shared/result';
import { useServices } from '../../app/services';
import { describeError } from '../../services/api/errorText';
import { attestedActionBody } from '../../services/attestation/attestedAction';
import type { AnswerSync, SyncStatus } from '../../services/answers/answerSync';
import { mergeAnswers } from './answerState';

const NOT_SAVED =
  'Some answers have not reached the server yet. Check your connection; they are kept on this computer and will be sent when the connection returns. Then submit again.';

export type PlayerState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'failed'; readonly message: string }
  | { readonly phase: 'finished'; readonly endedReason: string | null }
  | { readonly phase: 'ready'; readonly session: SessionView };

const SAVED: SyncStatus = { kind: 'saved' };
const noop = () => () => {};

/**
 * The exam player's state and actions: loads the session, opens the answer journal, replays what
 * was not sent, and runs section and exam submission (always flushing answers first).
 * One session per mount: the page keys its player by session id.
 */
export function useExamSession(sessionId: string) {
  const { api, host, appInfo, createAnswerSync, onOnline, setTimeout, log } = useServices();
  const [state, setState] = useState<PlayerState>({ phase: 'loading' });
  const [answers, setAnswers] = useState<ReadonlyMap<string, AnswerValue>>(new Map());
  const [sync, setSync] = useState<AnswerSync | null>(null);
  const [timeUp, setTimeUp] = useState<ReadonlySet<string>>(new Set());
  const expiring = useRef(new Set<string>());
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    const s = createAnswerSync(sessionId);
    const stopOnline = onOnline(() => s.online());
    void (async () => {
      const view = await api.call('getSession', { params: { sessionId } });
      if (!live.current) return;
      if (!view.ok) return setState({ phase: 'failed', message: describeError(view.error) });
      setSync(s);
      const opened = await s.open(view.value.maxSequence);
      if (!live.current) return;
      if (!opened.ok) return setState({ phase: 'failed', message: s.status.kind === 'error' ? s.status.message : describeError(opened.error) });
      setAnswers(mergeAnswers(view.value.answers, opened.pending));
      setState(isFinished(view.value.status) ? { phase: 'finished', endedReason: view.value.control.endedReason } : { phase: 'ready', session: view.value });
    })();
    return () => {
      live.current = false;
      stopOnline();
      s.dispose();
    };
  }, [api, createAnswerSync, onOnline, sessionId]);

  const status = useSyncExternalStore(sync ? (cb) => sync.subscribe(cb) : noop, () => sync?.status ?? SAVED);
  const rejectedLate = useSyncExternalStore(sync ? (cb) => sync.subscribe(cb) : noop, () => sync?.rejectedLateCount ?? 0);
  const rejectedInvalid = useSyncExternalStore(sync ? (cb) => sync.subscribe(cb) : noop, () => sync?.rejectedInvalidCount ?? 0);

  /** The latest session view, for loops that outlive a render. */
  const latest = useRef<SessionView | null>(null);
  useEffect(() => {
    latest.current = state.phase === 'ready' ? state.session : null;
  }, [state]);

  const setSession = useCallback((session: SessionView) => {
    latest.current = session;
    if (live.current) setState(isFinished(session.status) ? { phase: 'finished', endedReason: session.control.endedReason } : { phase: 'ready', session });
  }, []);

  const refreshes = useRef(0);
  /** Reads the session again (a proctor paused, resumed or ended it); only the latest read is applied. */
  const refresh = useCallback(() => {
    const seq = ++refreshes.current;
    void api.call('getSession', { params: { sessionId } }).then((view) => {
      if (view.ok && seq === refreshes.current) setSession(view.value);
    });
  }, [api, sessionId, setSession]);

  const setAnswer = useCallback(
    (sectionId: string, questionId: string, value: AnswerValue, debounce: boolean) => {
      setAnswers((prev) => new Map(prev).set(questionId, value));
      void sync?.change({ sectionId, questionId, value }, { debounce });
    },
    [sync],
  );

  const commit = useCallback(() => void sync?.flush(), [sync]);

  const openSection = useCallback(
    async (sectionId: string): Promise<Result<null>> => {
      const body = await attestedActionBody({ appInfo, host, api }, { purpose: 'open_section', sessionId, sectionId });
      const view = body.ok ? await api.call('openSection', { params: { sessionId, sectionId }, body: body.value }) : body;
      if (!view.ok) return fail(view.error.code, describeError(view.error));
      setSession(view.value);
      return ok(null);
    },
    [api, host, appInfo, sessionId, setSession],
  );

  const submitSection = useCallback(
    async (sectionId: string): Promise<Result<null>> => {
      if (!((await sync?.flush()) ?? true)) return fail('not_saved', NOT_SAVED);
      const view = await api.call('submitSection', { params: { sessionId, sectionId }, body: { reason: 'learner' } });
      if (!view.ok) return fail(view.error.code, describeError(view.error));
      setSession(view.value);
      return ok(null);
    },
    [api, sessionId, setSession, sync],
  );

  /**
   * At the deadline: the answers must reach the server first (it accepts them until deadline +
   * grace), then the section is submitted with reason `deadline`; both are retried until they
   * succeed. Submitting before the answers arrive would close the section on them.
   */
  const expireSection = useCallback(
    async (sectionId: string) => {
      if (expiring.current.has(sectionId)) return;
      expiring.current.add(sectionId);
      const deadlineOf = () => (latest.current?.sections.find((s) => s.id === sectionId)?.deadline ?? null);
      const expiredAt = deadlineOf();
      /** A proctor paused the exam and, at resume, moved this deadline later: a new countdown runs instead. */
      const extended = () => {
        if (latest.current?.control.pausedSince !== null || deadlineOf() === expiredAt) return false;
        expiring.current.delete(sectionId);
        setTimeUp((prev) => {
          const next = new Set(prev);
          next.delete(sectionId);
          return next;
        });
        return true;
      };
      setTimeUp((prev) => new Set(prev).add(sectionId));
      let delay = 1_000;
      while (live.current) {
        if (extended()) return;
        if (!((await sync?.flush()) ?? true)) {
          log.warn('answers not yet saved at the deadline, retrying', { delayMs: delay });
          await new Promise<void>((resolve) => setTimeout(resolve, delay));
          delay = Math.min(delay * 2, 15_000);
          continue;
        }
        if (extended()) return;
        const view = await api.call('submitSection', { params: { sessionId, sectionId }, body: { reason: 'deadline' } });
        if (view.ok) return setSession(view.value);
        if (view.error.code === 'section_closed' || view.error.code === 'section_not_open' || view.error.code === 'session_paused') {
          // The server closed it already (its own deadline), or the proctor paused the exam: show what it holds now.
          const fresh = await api.call('getSession', { params: { sessionId } });
          if (fresh.ok) setSession(fresh.value);
          if (fresh.ok && view.error.code !== 'session_paused') return;
        }
        log.warn('deadline submit failed, retrying', { code: view.error.code, delayMs: delay });
        await new Promise<void>((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 15_000);
      }
    },
    [api, log, sessionId, setSession, setTimeout, sync],
  );

  const submitExam = useCallback(async (): Promise<Result<null>> => {
    if (state.phase !== 'ready') return fail('not_ready', 'The exam is still loading.');
    const saved = (await sync?.flush()) ?? true;
    if (!saved) return fail('not_saved', NOT_SAVED);
    for (const section of state.session.sections.filter((s) => s.state === 'open')) {
      const closed = await api.call('submitSection', { params: { sessionId, sectionId: section.id }, body: { reason: 'learner' } });
      if (!closed.ok && closed.error.code !== 'section_closed') return fail(closed.error.code, describeError(closed.error));
    }
    const receipt = await api.call('submitSession', { params: { sessionId }, body: {} });
    if (!receipt.ok) return fail(receipt.error.code, describeError(receipt.error));
    return ok(null);
  }, [api, sessionId, state, sync]);

  return { state, answers, status, rejectedLate, rejectedInvalid, timeUp, setAnswer, commit, refresh, openSection, submitSection, expireSection, submitExam };
}

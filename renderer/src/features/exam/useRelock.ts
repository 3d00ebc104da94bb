import { useEffect } from 'react';
import type { SessionView } from '../../../../shared/api/sessions';
import { useServices } from '../../app/services';

/**
 * After a reload, a restart or Resume, the exam is locked down again under its policy (the start
 * page engaged it the first time; engaging the same session again changes nothing).
 */
export function useRelock(session: SessionView): void {
  const { api, lockdown, log } = useServices();
  useEffect(() => {
    if (lockdown.current()?.sessionId === session.id) return;
    let live = true;
    void (async () => {
      const list = await api.call('listExams', {});
      const exam = list.ok ? list.value.exams.find((e) => e.id === session.examId) : undefined;
      if (!live) return;
      if (!exam) {
        log.warn('lockdown not re-engaged: exam policy unavailable', { sessionId: session.id });
        return;
      }
      const locked = await lockdown.engage(session.id, exam.policy, session.checks.translator);
      if (!locked.ok) log.error('lockdown not re-engaged', { code: locked.error.code });
    })();
    return () => {
      live = false;
    };
  }, [api, lockdown, log, session.id, session.examId, session.checks.translator]);
}

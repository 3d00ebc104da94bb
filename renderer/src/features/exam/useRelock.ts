import { useEffect, useState } from 'react';
import type { ExamPolicy } from '../../../../shared/domain/examPolicy';
import type { SessionView } from '../../../../shared/api/sessions';
import { useServices } from '../../app/services';

/**
 * The exam's policy for the player, and the lockdown under it: after a reload, a restart or Resume
 * the exam is locked down again (the start page engaged it the first time; engaging the same
 * session again changes nothing). Null until the policy has arrived.
 */
export function useRelock(session: SessionView): ExamPolicy | null {
  const { api, lockdown, log } = useServices();
  const [policy, setPolicy] = useState<ExamPolicy | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      const list = await api.call('listExams', {});
      const exam = list.ok ? list.value.exams.find((e) => e.id === session.examId) : undefined;
      if (!live) return;
      if (!exam) {
        log.warn('exam policy unavailable in the player', { sessionId: session.id });
        return;
      }
      setPolicy(exam.policy);
      if (lockdown.current()?.sessionId === session.id) return;
      const locked = await lockdown.engage(session.id, exam.policy, session.checks.translator);
      if (!locked.ok) log.error('lockdown not re-engaged', { code: locked.error.code });
    })();
    return () => {
      live = false;
    };
  }, [api, lockdown, log, session.id, session.examId, session.checks.translator]);
  return policy;
}

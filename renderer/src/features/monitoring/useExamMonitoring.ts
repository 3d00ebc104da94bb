import { useEffect, useSyncExternalStore } from 'react';
import type { SessionView } from '../../../../shared/api/sessions';
import { useServices } from '../../app/services';
import type { PromptKind } from '../../services/monitoring/monitorRules';
import type { Recorder } from '../../services/recorder/recorder';

/**
 * Monitors the session while the player shows it: starts with the recording (it reads the
 * recording's own stream), under the exam's resolved policy, and stops (closing open flags) when the
 * player goes away — submit, time up or leaving. Returns the fixable conditions to prompt about.
 */
export function useExamMonitoring(session: SessionView, recorder: Recorder | null): readonly PromptKind[] {
  const { api, monitor, log } = useServices();
  useEffect(() => {
    if (!recorder) return;
    let live = true;
    void (async () => {
      const list = await api.call('listExams', {});
      const exam = list.ok ? list.value.exams.find((e) => e.id === session.examId) : undefined;
      if (!live) return;
      if (!exam) {
        log.warn('monitoring not started: exam policy unavailable', { sessionId: session.id });
        return;
      }
      monitor.start(session.id, exam.policy.monitoring, recorder);
    })();
    return () => {
      live = false;
      void monitor.stop(session.id);
    };
  }, [api, monitor, log, session.id, session.examId, recorder]);
  return useSyncExternalStore(
    (cb) => monitor.subscribe(cb),
    () => monitor.prompts(),
  );
}

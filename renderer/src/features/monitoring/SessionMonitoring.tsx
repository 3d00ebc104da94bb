import type { SessionView } from '../../../../shared/api/sessions';
import type { Recorder } from '../../services/recorder/recorder';
import { MonitoringPrompt } from './MonitoringPrompt';
import { useExamMonitoring } from './useExamMonitoring';

/** The exam player's monitoring: runs the monitor for this session and shows the learner's prompts. */
export function SessionMonitoring({ session, recorder }: { readonly session: SessionView; readonly recorder: Recorder | null }) {
  const prompts = useExamMonitoring(session, recorder);
  return <MonitoringPrompt prompts={prompts} />;
}

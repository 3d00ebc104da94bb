import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useServices } from '../../app/services';
import { useLoad } from '../../app/useLoad';

/** The staff console's exams (grading and results) and the one chosen in the address (`?exam=`). */
export function useStaffExams() {
  const { api } = useServices();
  const [params, setParams] = useSearchParams();
  const load = useCallback(() => api.call('gradingExams', {}), [api]);
  const { state, reload } = useLoad(load);
  return { state, reload, params, setParams, examId: params.get('exam') ?? '' };
}

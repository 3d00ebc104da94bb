import { useEffect, useState } from 'react';
import type { LearnerResult } from '../../../../shared/api/grading';
import type { ApiClient } from '../../services/api/apiClient';

/** 72 → "72", 46.6 → "46.6" (the server rounds down to one decimal). */
export const formatPercent = (percent: number): string => (Number.isInteger(percent) ? String(percent) : percent.toFixed(1));

/** What the learner reads about an attempt's result, or null when there is nothing to say. */
export function learnerResultText(result: LearnerResult): string | null {
  switch (result.state) {
    case 'none':
      return null;
    case 'not_released':
      return 'Results not released yet';
    case 'released':
      return result.passed
        ? `Passed — ${formatPercent(result.percent)} %`
        : `Not passed — ${formatPercent(result.percent)} % (pass mark ${formatPercent(result.passPercent)} %)`;
  }
}

/**
 * The results of these attempts, by session id, as they arrive. An attempt whose result cannot be
 * loaded is left out: the card or receipt then simply says nothing about a result.
 */
export function useLearnerResults(api: ApiClient, sessionIds: readonly string[]): ReadonlyMap<string, LearnerResult> {
  const [results, setResults] = useState<ReadonlyMap<string, LearnerResult>>(new Map());
  const key = sessionIds.join(',');
  useEffect(() => {
    let live = true;
    const ids = key === '' ? [] : key.split(',');
    void Promise.all(ids.map(async (sessionId) => [sessionId, await api.call('getResult', { params: { sessionId } })] as const)).then((replies) => {
      if (!live) return;
      setResults(new Map(replies.flatMap(([id, reply]) => (reply.ok ? [[id, reply.value] as const] : []))));
    });
    return () => {
      live = false;
    };
  }, [api, key]);
  return results;
}

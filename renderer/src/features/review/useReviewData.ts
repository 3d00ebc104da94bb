import { useCallback, useEffect, useState } from 'react';
import type { SystemCheckReport } from '../../../../shared/api/checks';
import type { SessionEvent } from '../../../../shared/api/events';
import type { IdentityRecordView } from '../../../../shared/api/identity';
import type { RecordingManifest } from '../../../../shared/api/recording';
import type { PlaybackGrant, ReviewDetail } from '../../../../shared/api/review';
import type { SessionView } from '../../../../shared/api/sessions';
import { useServices } from '../../app/services';
import { describeError } from '../../services/api/errorText';

/** Everything the review screen shows about one entry; parts that failed to load are null with a reason. */
export interface ReviewData {
  readonly detail: ReviewDetail;
  readonly session: SessionView | null;
  readonly manifest: RecordingManifest | null;
  readonly grant: PlaybackGrant | null;
  readonly identity: IdentityRecordView | null;
  readonly checks: readonly SystemCheckReport[] | null;
  readonly events: readonly SessionEvent[] | null;
  /** Absolute base for the grant's server-relative URLs. */
  readonly serverUrl: string;
  readonly problems: readonly string[];
}

export type ReviewLoad = { readonly phase: 'loading' } | { readonly phase: 'failed'; readonly message: string } | { readonly phase: 'ready'; readonly data: ReviewData };

export function useReviewData(entryId: string) {
  const { api } = useServices();
  const [state, setState] = useState<ReviewLoad>({ phase: 'loading' });
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    void (async () => {
      const detail = await api.call('getReview', { params: { entryId } });
      if (!live) return;
      if (!detail.ok) {
        setState({ phase: 'failed', message: describeError(detail.error) });
        return;
      }
      const params = { sessionId: detail.value.entry.sessionId };
      const [session, manifest, grant, identity, checks, events, serverUrl] = await Promise.all([
        api.call('getSession', { params }),
        api.call('recordingManifest', { params }),
        api.call('playbackGrant', { params, body: {} }),
        api.call('getIdentity', { params }),
        api.call('listSystemChecks', { params }),
        api.call('listEvents', { params }),
        api.serverUrl(),
      ]);
      if (!live) return;
      const problems: string[] = [];
      const take = <T,>(what: string, r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T | null => {
        if (r.ok) return r.value;
        // An attempt without an identity check answers not_found: that is not a problem to report.
        if (!(what === 'identity' && r.error.code === 'not_found')) problems.push(`The ${what} could not be loaded: ${describeError(r.error)}`);
        return null;
      };
      setState({
        phase: 'ready',
        data: {
          detail: detail.value,
          session: take('attempt', session),
          manifest: take('recording', manifest),
          grant: take('playback link', grant),
          identity: take('identity', identity),
          checks: take('system check', checks)?.reports ?? null,
          events: take('event log', events)?.events ?? null,
          serverUrl: serverUrl.replace(/\/+$/, ''),
          problems,
        },
      });
    })();
    return () => {
      live = false;
    };
  }, [api, entryId, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  /** Fresh playback URLs (they last minutes), without reloading the rest. */
  const regrant = useCallback(async (): Promise<PlaybackGrant | null> => {
    if (state.phase !== 'ready') return null;
    const r = await api.call('playbackGrant', { params: { sessionId: state.data.detail.entry.sessionId }, body: {} });
    if (!r.ok) return null;
    setState((s) => (s.phase === 'ready' ? { phase: 'ready', data: { ...s.data, grant: r.value } } : s));
    return r.value;
  }, [api, state]);
  return { state, reload, regrant, setState };
}

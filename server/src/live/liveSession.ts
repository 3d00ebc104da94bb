import type { types } from 'mediasoup';
import type { LiveSource } from '../../../shared/api';
import type { Peer } from './peer';

/** A session whose learner is connected: its router, its producers (one per source) and its hand. */
export interface LiveSession {
  readonly sessionId: string;
  readonly userId: string;
  /** The attempt's client kind: only the attested desktop app shares the screen. */
  readonly client: 'desktop' | 'web';
  /** The pool slot its producers live on; null while no worker runs. */
  slot: number | null;
  /** The socket that joined last (a new join takes the session over). */
  learner: Peer;
  handRaised: boolean;
  readonly producers: Map<LiveSource, types.Producer>;
}

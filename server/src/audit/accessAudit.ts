import type { Kysely } from 'kysely';
import type { AccessAuditEntry, AccessAuditKind, SessionView, UserView } from '../../../shared/api';
import { PLAYBACK_TOKEN_TTL_SECONDS } from '../../../shared/api/review';
import type { Database } from '../db/schema';

/**
 * Requests for the same item by the same person within this window are one view: a video player asks
 * for many byte ranges while it plays and seeks, and a playback URL lives this long.
 */
export const VIEW_WINDOW_MS = PLAYBACK_TOKEN_TTL_SECONDS * 1000;

export interface AccessViewer {
  readonly id: string;
  readonly role: UserView['role'];
}

export interface AccessRecord {
  readonly sessionId: string;
  readonly kind: AccessAuditKind;
  /** The take index or image id; null for answers. */
  readonly itemId: string | null;
  readonly via: AccessAuditEntry['via'];
}

/** Who viewed a learner's recording takes, ID images and answers, and when (`access_audit`). */
export class AccessAudit {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => number,
  ) {}

  /** Records one view, unless the same viewer's view of the same item was recorded within VIEW_WINDOW_MS. */
  async record(viewer: AccessViewer, what: AccessRecord): Promise<void> {
    const now = this.clock();
    const recent = await this.db
      .selectFrom('access_audit')
      .select('id')
      .where('session_id', '=', what.sessionId)
      .where('user_id', '=', viewer.id)
      .where('kind', '=', what.kind)
      .where((eb) => (what.itemId === null ? eb('item_id', 'is', null) : eb('item_id', '=', what.itemId)))
      .where('via', '=', what.via)
      .where('at', '>', now - VIEW_WINDOW_MS)
      .executeTakeFirst();
    if (recent) return;
    await this.db
      .insertInto('access_audit')
      .values({ at: now, user_id: viewer.id, role: viewer.role, session_id: what.sessionId, kind: what.kind, item_id: what.itemId, via: what.via })
      .execute();
  }

  /** Every recorded view of one session, oldest first. */
  async list(sessionId: string): Promise<AccessAuditEntry[]> {
    const rows = await this.db.selectFrom('access_audit').selectAll().where('session_id', '=', sessionId).orderBy('id').execute();
    return rows.map((row) => ({
      at: new Date(row.at).toISOString(),
      userId: row.user_id,
      role: row.role,
      sessionId: row.session_id,
      kind: row.kind,
      itemId: row.item_id,
      via: row.via,
    }));
  }
}

/**
 * What of an attempt a viewer gets: answers are for the learner who gave them and for administrators
 * (each administrator's view audited); proctors review behaviour and get the attempt without them.
 */
export async function sessionViewFor(viewer: UserView, view: SessionView, audit: AccessAudit): Promise<SessionView> {
  if (viewer.role === 'proctor') return { ...view, answers: [] };
  if (viewer.role === 'admin') await audit.record(viewer, { sessionId: view.id, kind: 'answers', itemId: null, via: 'bearer' });
  return view;
}

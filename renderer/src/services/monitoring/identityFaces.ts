import type { Logger } from '../logger';

/**
 * The identity photo's face descriptor, kept per session from the identity step to the end of the
 * exam so the monitor can compare the face in view with it (`different_person`). It survives a
 * restart of the app (the identity step is not repeated on resume) and is removed when the exam ends.
 * Storage key: `invigil.identityFace.<sessionId>`, value `{"descriptor":[128 numbers]}`.
 */
export class IdentityFaces {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly log: Logger,
  ) {}

  static key(sessionId: string): string {
    return `invigil.identityFace.${sessionId}`;
  }

  remember(sessionId: string, descriptor: Float32Array): void {
    this.storage.setItem(IdentityFaces.key(sessionId), JSON.stringify({ descriptor: Array.from(descriptor) }));
  }

  recall(sessionId: string): Float32Array | null {
    const raw = this.storage.getItem(IdentityFaces.key(sessionId));
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as { descriptor?: unknown };
      const d = parsed.descriptor;
      if (Array.isArray(d) && d.length === 128 && d.every((x) => typeof x === 'number' && Number.isFinite(x))) return Float32Array.from(d as number[]);
    } catch (error) {
      this.log.warn('stored identity face unreadable', { sessionId, error: String(error) });
    }
    return null;
  }

  forget(sessionId: string): void {
    this.storage.removeItem(IdentityFaces.key(sessionId));
  }
}

import { z } from 'zod';
import { UserView, type UserView as User } from '../../../../shared/api/auth';

const StoredAuth = z.object({ accessToken: z.string(), refreshToken: z.string(), user: UserView });
export type StoredAuth = z.infer<typeof StoredAuth>;

const KEY = 'invigil.auth';

/**
 * Keeps the tokens and the signed-in user in sessionStorage, so a reload mid-exam keeps the learner
 * signed in while closing the window signs them out. What is read back is validated like any input.
 */
export class AuthStore {
  private listeners = new Set<(user: User | null) => void>();
  /** The last value read, so repeated reads return the same object (React's external-store contract). */
  private cache: { raw: string | null; value: StoredAuth | null } = { raw: null, value: null };

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {}

  get(): StoredAuth | null {
    const raw = this.storage.getItem(KEY);
    if (raw !== this.cache.raw) this.cache = { raw, value: parse(raw) };
    return this.cache.value;
  }

  set(auth: StoredAuth): void {
    this.storage.setItem(KEY, JSON.stringify(auth));
    for (const l of this.listeners) l(auth.user);
  }

  clear(): void {
    this.storage.removeItem(KEY);
    for (const l of this.listeners) l(null);
  }

  user(): User | null {
    return this.get()?.user ?? null;
  }

  subscribe(listener: (user: User | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function parse(raw: string | null): StoredAuth | null {
  if (raw === null) return null;
  try {
    const parsed = StoredAuth.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    // Corrupt storage is the same as no sign-in: the learner signs in again.
    return null;
  }
}

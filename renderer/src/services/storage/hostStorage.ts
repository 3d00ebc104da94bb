import type { HostErrorCode, InvigilHost, StoreNamespace } from '../../../../shared/ipc/contract';
import type { Logger } from '../logger';

export type StoreHost = Pick<InvigilHost, 'store:load' | 'store:set' | 'store:remove'>;

/** What the page's storage users need (EventOutbox, IdentityFaces): localStorage's synchronous calls. */
export type SyncStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** localStorage as migration reads it. */
export type MigrationSource = Pick<Storage, 'length' | 'key' | 'getItem' | 'removeItem'>;

export interface HostStorageOptions {
  readonly host: StoreHost;
  readonly namespace: StoreNamespace;
  readonly log: Logger;
  /**
   * Entries an earlier version kept in localStorage under this prefix: moved into the host's store
   * at start, and removed from localStorage once the host has them.
   */
  readonly migrate?: { readonly from: MigrationSource; readonly prefix: string };
}

/** Refusals that a retry cannot change: the entry is dropped from the queue (and logged). */
const FINAL: ReadonlySet<HostErrorCode> = new Set(['invalid_request', 'unsupported', 'forbidden_sender', 'unknown_channel']);

/**
 * A `Storage`-shaped view of one namespace of the desktop host's encrypted store. Reads are
 * synchronous, from a copy loaded once at start; `setItem` and `removeItem` change the copy at once
 * and write through to the host, one write at a time, each key's latest value in the order the keys
 * were last changed. A write the host could not do (disk, encryption) is logged and tried again with
 * the next write; one it refuses for good (a value over its size cap) is logged and dropped, and the
 * copy keeps the value for this run.
 */
export class HostStorage implements SyncStorage {
  private readonly copy = new Map<string, string>();
  /** Keys whose latest state the host may not have, oldest change first; the number is the change. */
  private readonly pending = new Map<string, number>();
  private changes = 0;
  private draining: Promise<void> | null = null;
  /** A change arrived while a write was failing: the failed write is tried again before giving up. */
  private changedDuringWrite = false;

  private constructor(private readonly o: HostStorageOptions) {}

  /** Loads the namespace (and migrates localStorage's entries into it) before the page uses it. */
  static async open(options: HostStorageOptions): Promise<HostStorage> {
    const storage = new HostStorage(options);
    await storage.load();
    return storage;
  }

  getItem(key: string): string | null {
    return this.copy.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.copy.set(key, String(value));
    this.changed(key);
  }

  removeItem(key: string): void {
    if (!this.copy.has(key) && !this.pending.has(key)) return;
    this.copy.delete(key);
    this.changed(key);
  }

  /** Resolves once every change so far has been tried (tests; a page about to close). */
  async flushed(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async load(): Promise<void> {
    const { host, namespace, log, migrate } = this.o;
    const local = migrate ? localEntries(migrate.from, migrate.prefix) : new Map<string, string>();
    const loaded = await host['store:load']({ namespace });
    if (!loaded.ok) {
      // The entries stay where they are; this run works from memory and keeps trying to write.
      log.error('private store: could not load; using what this page still had', { namespace, code: loaded.error.code });
      for (const [key, value] of local) this.copy.set(key, value);
      return;
    }
    for (const [key, value] of Object.entries(loaded.value.entries)) this.copy.set(key, value);
    if (!migrate) return;
    let moved = 0;
    for (const [key, value] of local) {
      // Once the host has a key its value is the newer one (a move interrupted before the removal).
      if (!this.copy.has(key)) {
        this.copy.set(key, value);
        const stored = await host['store:set']({ namespace, key, value });
        if (!stored.ok) {
          // Left in localStorage for the next start, and tried again with this run's next write.
          log.warn('private store: could not move an entry out of localStorage yet', { namespace, code: stored.error.code });
          this.pending.set(key, ++this.changes);
          continue;
        }
        moved += 1;
      }
      migrate.from.removeItem(key);
    }
    if (moved > 0) log.info('private store: moved entries out of localStorage', { namespace, count: moved });
  }

  private changed(key: string): void {
    this.pending.delete(key);
    this.pending.set(key, ++this.changes);
    this.changedDuringWrite = true;
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    const { host, namespace, log } = this.o;
    for (;;) {
      const next = this.pending.entries().next();
      if (next.done) return;
      const [key, change] = next.value;
      const value = this.copy.get(key);
      this.changedDuringWrite = false;
      let code: HostErrorCode | null;
      try {
        const result = value === undefined ? await host['store:remove']({ namespace, key }) : await host['store:set']({ namespace, key, value });
        code = result.ok ? null : result.error.code;
      } catch {
        code = 'host_unavailable';
      }
      if (code === null || FINAL.has(code)) {
        if (code !== null) log.error('private store: the host refused an entry; kept in memory only', { namespace, code });
        // A change that came in during the write is still pending, behind the others.
        if (this.pending.get(key) === change) this.pending.delete(key);
        continue;
      }
      log.warn('private store: write failed; trying again with the next change', { namespace, code });
      if (!this.changedDuringWrite) return;
    }
  }
}

function localEntries(storage: MigrationSource, prefix: string): Map<string, string> {
  const found = new Map<string, string>();
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key === null || !key.startsWith(prefix)) continue;
    const value = storage.getItem(key);
    if (value !== null) found.set(key, value);
  }
  return found;
}

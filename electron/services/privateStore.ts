import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { StoreNamespace } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/result';
import type { Logger } from '../log';
import { codeOf, writeFileAtomically } from './durableFs';
import type { SecretBox } from './installKey';
import { KeyedQueue } from './keyedQueue';

/**
 * What the exam page keeps across restarts that nobody else on the computer may read (the session
 * event outbox, the learner's face reference), encrypted in the app's data folder. The page holds a
 * copy in memory; this is where it survives.
 */
export interface PrivateStore {
  /** Every entry of the namespace. */
  load(namespace: StoreNamespace): Promise<Record<string, string>>;
  /** Sets one entry and writes the namespace to disk before resolving; refused when the namespace would outgrow its caps. */
  set(namespace: StoreNamespace, key: string, value: string): Promise<Result<void, 'store_full'>>;
  remove(namespace: StoreNamespace, key: string): Promise<void>;
}

export interface PrivateStoreLimits {
  /** Keys plus values of one namespace, in UTF-16 units. */
  readonly maxNamespaceChars: number;
  readonly maxEntries: number;
}

export const DEFAULT_PRIVATE_STORE_LIMITS: PrivateStoreLimits = { maxNamespaceChars: 10 * 1024 * 1024, maxEntries: 200 };

export const PRIVATE_STORE_DIR = 'private';

const StoreFile = z.object({
  version: z.literal(1),
  /** base64 of the box's sealing of the entries' JSON. */
  sealed: z.string(),
});
const Entries = z.record(z.string(), z.string());

/**
 * One file per namespace, `<dataDir>/private/<namespace>.json`: `{"version":1,"sealed":"<base64>"}`,
 * the entries' JSON sealed by the box (safeStorage in the app), replaced atomically on every change.
 * A file that cannot be opened (damaged, or sealed by another user's keychain) is set aside as
 * `<namespace>.json.unreadable` and the namespace starts empty, with a warning.
 */
export class FsPrivateStore implements PrivateStore {
  private readonly spaces = new Map<StoreNamespace, Map<string, string>>();
  private readonly queue = new KeyedQueue();
  private readonly limits: PrivateStoreLimits;

  constructor(private readonly o: { dataDir: string; box: SecretBox; log: Logger; limits?: Partial<PrivateStoreLimits> }) {
    this.limits = { ...DEFAULT_PRIVATE_STORE_LIMITS, ...o.limits };
    if (o.box.protection === 'none') {
      o.log.warn('private store: no OS keyring; face data and queued events are encrypted with a fixed key, not protected by the OS');
    }
  }

  load(namespace: StoreNamespace): Promise<Record<string, string>> {
    return this.queue.run(namespace, async () => Object.fromEntries(await this.space(namespace)));
  }

  set(namespace: StoreNamespace, key: string, value: string): Promise<Result<void, 'store_full'>> {
    return this.queue.run(namespace, async () => {
      const entries = await this.space(namespace);
      const next = new Map(entries).set(key, value);
      if (next.size > this.limits.maxEntries) return fail('store_full', `The private store holds at most ${this.limits.maxEntries} entries per namespace.`);
      if (sizeOf(next) > this.limits.maxNamespaceChars) {
        return fail('store_full', `The private store holds at most ${this.limits.maxNamespaceChars} characters per namespace.`);
      }
      await this.write(namespace, next);
      this.spaces.set(namespace, next);
      return ok(undefined);
    });
  }

  remove(namespace: StoreNamespace, key: string): Promise<void> {
    return this.queue.run(namespace, async () => {
      const entries = await this.space(namespace);
      if (!entries.has(key)) return;
      const next = new Map(entries);
      next.delete(key);
      await this.write(namespace, next);
      this.spaces.set(namespace, next);
    });
  }

  private path(namespace: StoreNamespace): string {
    return join(this.o.dataDir, PRIVATE_STORE_DIR, `${namespace}.json`);
  }

  /** The namespace as on disk (read once; every change after that is written before it is kept here). */
  private async space(namespace: StoreNamespace): Promise<Map<string, string>> {
    let entries = this.spaces.get(namespace);
    if (entries === undefined) {
      entries = await this.read(namespace);
      this.spaces.set(namespace, entries);
    }
    return entries;
  }

  private async read(namespace: StoreNamespace): Promise<Map<string, string>> {
    const path = this.path(namespace);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return new Map();
      throw error; // a folder the app cannot read is not a damaged file: the caller gets io_error
    }
    try {
      const file = StoreFile.parse(JSON.parse(text));
      const plain = await this.o.box.open(Buffer.from(file.sealed, 'base64'));
      return new Map(Object.entries(Entries.parse(JSON.parse(plain.toString('utf8')))));
    } catch (error) {
      this.o.log.warn('private store: file unreadable, set aside; starting empty', { namespace, error: error instanceof Error ? error.name : typeof error });
      await rename(path, `${path}.unreadable`).catch(() => undefined);
      return new Map();
    }
  }

  private async write(namespace: StoreNamespace, entries: ReadonlyMap<string, string>): Promise<void> {
    const sealed = await this.o.box.seal(Buffer.from(JSON.stringify(Object.fromEntries(entries)), 'utf8'));
    await mkdir(join(this.o.dataDir, PRIVATE_STORE_DIR), { recursive: true, mode: 0o700 });
    await writeFileAtomically(this.path(namespace), JSON.stringify({ version: 1, sealed: sealed.toString('base64') }), randomUUID());
  }
}

function sizeOf(entries: ReadonlyMap<string, string>): number {
  let chars = 0;
  for (const [key, value] of entries) chars += key.length + value.length;
  return chars;
}

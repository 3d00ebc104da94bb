import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Settings } from '../../shared/ipc/contract';
import type { Logger } from '../log';
import { codeOf } from './durableFs';

/**
 * The host's settings (today only the review server's URL). Read-only to the app: the page must not
 * be able to point the client at another server, so the file is written by whoever deploys the app
 * (or overridden per run with --server-url / INVIGIL_SERVER_URL).
 */
export interface SettingsStore {
  get(): Promise<Settings>;
}

export interface FsSettingsStoreOptions {
  readonly dataDir: string;
  readonly defaults: Settings;
  /** Values chosen for this run only (command line, environment): they win over the file and are never saved. */
  readonly overrides?: Partial<Settings>;
  readonly log: Logger;
}

/** `settings.json` in the data folder; a missing or damaged file falls back to the defaults. */
export class FsSettingsStore implements SettingsStore {
  private readonly path: string;

  constructor(private readonly options: FsSettingsStoreOptions) {
    this.path = join(options.dataDir, 'settings.json');
  }

  async get(): Promise<Settings> {
    return { ...(await this.readSaved()), ...definedOnly(this.options.overrides ?? {}) };
  }

  private async readSaved(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return this.options.defaults;
      throw error;
    }
    const parsed = Settings.safeParse(parseJson(text));
    if (!parsed.success) {
      // Hand-edited or damaged: the learner still needs a working app.
      this.options.log.warn('settings: file is not valid, using defaults', { path: this.path });
      return this.options.defaults;
    }
    return parsed.data;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // fails the schema check below, which reports it
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

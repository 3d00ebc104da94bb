import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Settings } from '../../shared/ipc/contract';
import { checkServerUrl } from '../config';
import type { Logger } from '../log';
import { codeOf } from './durableFs';

/**
 * The host's settings (today only the review server's URL). Read-only to the app: the page must not
 * be able to point the client at another server, so the file is written by whoever deploys the app
 * (a development build may override it per run with --server-url / INVIGIL_SERVER_URL).
 */
export interface SettingsStore {
  get(): Promise<Settings>;
}

export type FsSettingsStoreOptions = (
  | {
      /** The settings file itself (the desktop app: `invigil-settings.json` in its resources folder). */
      readonly file: string;
    }
  | {
      /** A data folder holding `settings.json` (the web host, a development tool). */
      readonly dataDir: string;
    }
) & {
  readonly defaults: Settings;
  /** Values chosen for this run only (command line, environment): they win over the file and are never saved. */
  readonly overrides?: Partial<Settings>;
  readonly log: Logger;
};

/**
 * The settings file; a missing file means the built-in defaults. A file that is there but damaged,
 * or names a server the client may not use (plain http to another computer), is a deployment mistake:
 * `get()` fails with a sentence naming the file, which the app shows at start-up. Read once per run:
 * the content security policy is fixed at start, so the page must see the same server.
 */
export class FsSettingsStore implements SettingsStore {
  readonly path: string;
  private read: Promise<Settings> | null = null;

  constructor(private readonly options: FsSettingsStoreOptions) {
    this.path = 'file' in options ? options.file : join(options.dataDir, 'settings.json');
  }

  get(): Promise<Settings> {
    this.read ??= this.readSaved().then((saved) => ({ ...saved, ...definedOnly(this.options.overrides ?? {}) }));
    // A failed read is tried again next time (and fails again with the same sentence until fixed).
    this.read.catch(() => (this.read = null));
    return this.read;
  }

  private async readSaved(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') {
        this.options.log.info('settings: no settings file, using the built-in defaults', { path: this.path });
        return this.options.defaults;
      }
      throw new Error(`The settings file ${this.path} cannot be read (${codeOf(error) ?? 'unknown error'}).`);
    }
    const json = parseJson(text);
    if (json === undefined) throw new Error(`The settings file ${this.path} is not valid JSON.`);
    const parsed = Settings.safeParse(json);
    if (!parsed.success) {
      throw new Error(`The settings file ${this.path} is not valid: it must hold {"serverUrl": "https://…"}.`);
    }
    checkServerUrl(parsed.data.serverUrl, `serverUrl in ${this.path}`);
    return parsed.data;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

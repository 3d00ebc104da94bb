import { readFile, rename } from 'node:fs/promises';
import * as tus from 'tus-js-client';
import type { Logger } from '../log';
import { codeOf } from './durableFs';

/** tus-js-client's URL storage contract (declared but not exported by its typings). */
export interface TusUrlStorage {
  findAllUploads(): Promise<tus.PreviousUpload[]>;
  findUploadsByFingerprint(fingerprint: string): Promise<tus.PreviousUpload[]>;
  removeUpload(urlStorageKey: string): Promise<void>;
  addUpload(fingerprint: string, upload: tus.PreviousUpload): Promise<string>;
}

// The Node build exports FileUrlStorage, but the typings leave it out.
const { FileUrlStorage } = tus as unknown as { FileUrlStorage: new (path: string) => TusUrlStorage };

/**
 * tus upload URLs persisted in a JSON file, so an interrupted segment upload resumes at its offset
 * after a restart. tus-js-client drops a stored URL on *any* 4xx to a resume HEAD, including 401:
 * an expired token would then throw away the offset. So removal requests from tus are ignored, and
 * the uploader forgets a URL itself: after success, after a permanent refusal, or when the server
 * says the upload is gone.
 */
export class ResumableUrls implements TusUrlStorage {
  private readonly inner: TusUrlStorage;

  constructor(private readonly path: string) {
    this.inner = new FileUrlStorage(path);
  }

  /** A file cut short by a crash would fail every lookup: set it aside and start empty. */
  async repair(log: Logger): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return;
      throw error;
    }
    try {
      if (text.trim() !== '') JSON.parse(text);
    } catch {
      log.error('uploader: upload URL file damaged, set aside (uploads restart from zero)', { path: this.path });
      await rename(this.path, `${this.path}.damaged`);
    }
  }

  findAllUploads = () => this.inner.findAllUploads();
  findUploadsByFingerprint = (fingerprint: string) => this.inner.findUploadsByFingerprint(fingerprint);
  addUpload = (fingerprint: string, upload: tus.PreviousUpload) => this.inner.addUpload(fingerprint, upload);
  removeUpload = async (): Promise<void> => undefined;

  async forget(fingerprint: string): Promise<void> {
    for (const upload of await this.inner.findUploadsByFingerprint(fingerprint)) await this.inner.removeUpload(upload.urlStorageKey);
  }
}

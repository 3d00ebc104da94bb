import type { IdFields } from '../../../../shared/api/identity';
import type { Result } from '../../../../shared/result';

export type OcrErrorCode = 'engine_unavailable' | 'read_failed';

/** What the learner sees while the engine works: a stage and a fraction. */
export interface OcrProgress {
  readonly stage: 'loading_engine' | 'loading_language' | 'reading' | 'checking_mrz';
  /** 0..1, or null when the stage has no measure. */
  readonly fraction: number | null;
}

/** An ID read: what `IdFields` sends to the server, plus the MRZ checks that failed (for guidance). */
export interface IdRead {
  readonly fields: IdFields;
  readonly mrzFailures: readonly string[];
  readonly ms: number;
}

/**
 * The offline ID reader of the app: one long-lived tesseract.js worker with its worker
 * script, core and English data served from the app itself (`vendorAssets`), never from a CDN.
 */
export interface OcrService {
  /** Starts the worker and loads the language data (during the system check); safe to call again. */
  warm(onProgress?: (p: OcrProgress) => void): Promise<Result<{ ms: number }, OcrErrorCode>>;
  /** Reads a still (JPEG blob or canvas) with the same pipeline as `npm run id:read`. */
  readId(
    image: Blob | HTMLCanvasElement,
    size: { readonly width: number; readonly height: number },
    onProgress?: (p: OcrProgress) => void,
  ): Promise<Result<IdRead, OcrErrorCode>>;
  dispose(): Promise<void>;
}

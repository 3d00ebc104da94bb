import { fail } from '../../../../shared/result';
import type { Logger } from '../logger';
import type { OcrService } from './ocrService';

/** Placeholder until the tesseract.js browser worker lands (issue 4). */
export class BrowserOcrService implements OcrService {
  constructor(private readonly deps: { readonly log: Logger }) {}
  async warm() {
    this.deps.log.warn('OCR engine not built yet');
    return fail('engine_unavailable' as const, 'The ID reader is not available in this build.');
  }
  async readId() {
    return fail('engine_unavailable' as const, 'The ID reader is not available in this build.');
  }
  async dispose() {}
}

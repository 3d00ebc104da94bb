import { fail } from '../../../../shared/result';
import type { Logger } from '../logger';
import type { FaceService } from './faceService';

/** Placeholder until face-api on the tfjs wasm backend lands (issue 4). */
export class FaceApiService implements FaceService {
  constructor(private readonly deps: { readonly log: Logger }) {}
  async warm() {
    this.deps.log.warn('face models not built yet');
    return fail('model_unavailable' as const, 'Face detection is not available in this build.');
  }
  async detect() {
    return fail('model_unavailable' as const, 'Face detection is not available in this build.');
  }
}

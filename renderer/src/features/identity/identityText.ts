import type { IdAttemptResult, NameVerdict } from '../../../../shared/api/identity';
import type { OcrProgress } from '../../services/ocr/ocrService';
import type { Guidance } from './cardAnalysis';

/** What the learner reads under the card guide; `starting` before the first frame. */
export const guidanceText: Record<Guidance | 'starting', string> = {
  starting: 'Starting your camera…',
  no_card: 'Hold your ID inside the frame, with your name and photo facing the camera.',
  too_far: 'Your ID is too far away. Bring it closer until it fills the frame.',
  glare: 'There is glare on your ID. Tilt it slightly or move away from the lamp or window.',
  moving: 'Hold your ID still.',
  blur: 'The picture is blurred. Hold your ID still, a little further from the camera, until the text is sharp.',
  hold_still: 'Good. Hold still…',
  ready: 'Taking the photo…',
};

export const ocrStageText: Record<OcrProgress['stage'], string> = {
  loading_engine: 'Starting the ID reader',
  loading_language: 'Loading the reader’s language data',
  reading: 'Reading your ID',
  checking_mrz: 'Checking the machine-readable lines',
};

export function progressText(p: OcrProgress | null): string {
  if (!p) return 'Preparing the ID reader…';
  const percent = p.fraction === null ? '' : ` (${Math.round(p.fraction * 100)} %)`;
  return `${ocrStageText[p.stage]}${percent}…`;
}

/** The verdict in words (with an icon beside it; never colour alone). */
export const verdictText: Record<NameVerdict, { readonly icon: string; readonly title: string }> = {
  match: { icon: '✓', title: 'The name on your ID matches your registered name.' },
  partial: { icon: '≈', title: 'The name on your ID partly matches your registered name.' },
  mismatch: { icon: '✗', title: 'The name on your ID does not match your registered name.' },
  unreadable: { icon: '?', title: 'Your name could not be read from the photo of your ID.' },
};

/** What to do next after an attempt that did not pass. */
export function retryAdvice(result: IdAttemptResult): string {
  switch (result.nameVerdict) {
    case 'unreadable':
      return 'Try again in good light: fill the frame with your ID, avoid glare from lamps and windows, and hold it still until the photo is taken.';
    case 'mismatch':
      return 'Check that you are showing your own ID. If it is yours and your registered name is different (for example after a change of name), continue and tell your programme staff.';
    case 'partial':
      return 'Part of your name did not match. Try again with the whole ID in the frame, or continue and a proctor will compare the names.';
    case 'match':
      return '';
  }
}

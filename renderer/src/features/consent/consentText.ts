import { CONSENT_VERSION } from '../../../../shared/api/checks';

/**
 * What the learner agrees to (what is recorded, who sees it, how long it is kept). The
 * server stores CONSENT_VERSION with the consent: change the text, bump the version in shared/api.
 */
export const consentVersion = CONSENT_VERSION;

export const RECORDED: readonly string[] = [
  'Your camera picture and microphone sound, from the moment you begin until you submit.',
  'A photo of your face and photos of your ID document, with the name and document details Invigil reads from it.',
  'What Invigil sees of this computer: how many screens are connected, whether it is a virtual machine, which blocked applications are running (their names only), and when you leave the exam window or full screen.',
  'The results of this system check, and your answers with the times they were saved.',
];

export const WHO_SEES =
  'The programme’s proctors and exam administrators, to review your attempt. Automated checks only point a proctor to moments worth a look; a person makes every decision. Nothing is shared with other learners or sold.';

/** The programme's retention rule; the server deletes recordings and ID images after it. */
export const HOW_LONG =
  'Recordings and ID photos are kept until 12 months after your result is final, then deleted. Your result and the proctor’s decision are kept with your academic record.';

/** The three things ticked one by one (RecordConsentRequest). */
export const AGREEMENTS: ReadonlyArray<{ readonly id: string; readonly label: string }> = [
  { id: 'recording', label: 'I agree to be recorded through my camera and microphone during the exam.' },
  { id: 'identity', label: 'I agree to photos of my face and my ID document being taken and read.' },
  { id: 'monitoring', label: 'I agree to Invigil checking this computer (screens, applications, leaving the exam window) during the exam.' },
];

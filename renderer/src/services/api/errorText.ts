import type { ClientErrorCode } from './apiClient';

/**
 * Sentences a learner can act on, one per code. The server's own message is a fallback only: it is
 * written for developers.
 */
const text: Partial<Record<ClientErrorCode, string>> = {
  network: 'The server cannot be reached. Check your internet connection, or check the server address with your programme staff.',
  bad_reply: 'The server sent a reply this app does not understand. It may be a different version: contact support.',
  invalid_credentials: 'That email and password do not match an account. Check them and try again.',
  rate_limited: 'Too many attempts. Wait a minute, then try again.',
  unauthenticated: 'Your sign-in has expired. Sign in again to continue; your saved answers are kept.',
  token_expired: 'Your sign-in has expired. Sign in again to continue; your saved answers are kept.',
  forbidden: 'Your account cannot open this. If you think it should, contact your programme staff.',
  not_found: 'This exam or attempt could not be found. Go back to your exams and try again.',
  exam_not_open: 'This exam is not open yet. Check the opening time on your exam list.',
  exam_closed: 'This exam has closed. It can no longer be started or changed.',
  web_client_not_allowed:
    'This exam must be taken in the Invigil desktop app, not in a web browser. Install the desktop app and sign in there.',
  attempt_exists: 'You already have an attempt for this exam. Go back to your exams and choose Resume.',
  section_not_open: 'This section is not open. Open it from the list of sections first.',
  section_closed: 'This section has closed: its time is up or it was submitted.',
  section_already_opened: 'This section was already opened.',
  sections_pending: 'Some sections are still open. Submit them before submitting the exam.',
  validation_failed: 'Some of the information sent was not valid. Check the form and try again.',
  attestation_required:
    'This exam must be taken in the official Invigil desktop app. Install the version your programme provides, sign in there and start again.',
  attestation_invalid:
    'The server could not confirm that this is an official, unmodified Invigil app. Reinstall the app your programme provides, then try again.',
  session_closed: 'This attempt is closed, so nothing more can be added to it.',
  segment_not_webm: 'Part of the recording was not a valid video file, so the server refused it. Contact support and quote your receipt code.',
  recording_quota_exceeded:
    'Your recording is larger than this exam allows, so the server stopped accepting it. Contact support and quote your receipt code.',
  too_many_uploads: 'Too many recording uploads are open at once. The app will try again shortly.',
  storage_full: 'The server has run out of space. Nothing was lost on your computer; the app will try again later.',
  server_busy: 'The server is busy. Wait a few seconds, then try again.',
  internal: 'The server had a problem. Try again in a moment; if it keeps happening, contact support.',
};

export function describeError(error: { code: string; message: string }): string {
  return text[error.code as ClientErrorCode] ?? (error.message || 'Something went wrong. Try again.');
}

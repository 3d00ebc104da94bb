import { useEffect } from 'react';
import { useCurrentUser, useServices } from '../../app/services';

/**
 * After sign-in, and at start-up when already signed in: asks the host which sessions still have
 * recording on this computer and gives its uploader fresh tokens for them. Only learners can get
 * upload tokens (for their own sessions).
 */
export function useResumeUploads(): void {
  const { uploads } = useServices();
  const user = useCurrentUser();
  const learnerId = user?.role === 'learner' ? user.id : null;
  useEffect(() => {
    if (learnerId !== null) void uploads.resumePending();
  }, [uploads, learnerId]);
}

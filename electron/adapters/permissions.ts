import type { Session } from 'electron';
import type { Logger } from '../log';
import { APP_ORIGIN, isSameOrigin } from '../security/appOrigin';

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

/**
 * The app page may use these without asking the learner: full screen inside its own kiosk window and
 * the Keyboard Lock API, which only acts in that full screen and holds the system keys it can
 * capture during the exam (renderer/src/services/lockdown/keyboardLock.ts).
 */
const APP_PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'keyboardLock']);

/**
 * Camera and microphone, full screen and the keyboard lock for the app's own page, nothing else for
 * anybody: no notifications, geolocation, screen capture, USB, clipboard reads, and nothing at all
 * for other origins or frames.
 */
export function applyPermissionPolicy(session: PermissionSession, options: { readonly log: Logger; readonly appOrigin?: string }): void {
  const appOrigin = options.appOrigin ?? APP_ORIGIN;
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const appPage = details.isMainFrame && isSameOrigin(details.requestingUrl, appOrigin);
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const granted =
      appPage && (APP_PAGE_PERMISSIONS.has(permission) || (permission === 'media' && mediaTypes.every((type) => type === 'video' || type === 'audio')));
    if (!granted) options.log.warn('permissions: request denied', { permission });
    callback(granted);
  });
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) => (permission === 'media' || APP_PAGE_PERMISSIONS.has(permission)) && isSameOrigin(requestingOrigin, appOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}

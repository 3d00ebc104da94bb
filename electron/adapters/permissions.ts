import type { Session } from 'electron';
import type { Logger } from '../log';
import { APP_ORIGIN, isSameOrigin } from '../security/appOrigin';

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

/**
 * Camera and microphone for the app's own page, nothing else for anybody: no notifications,
 * geolocation, screen capture, USB, clipboard reads, and nothing at all for other origins.
 */
export function applyPermissionPolicy(session: PermissionSession, options: { readonly log: Logger; readonly appOrigin?: string }): void {
  const appOrigin = options.appOrigin ?? APP_ORIGIN;
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const granted =
      permission === 'media' &&
      details.isMainFrame &&
      isSameOrigin(details.requestingUrl, appOrigin) &&
      mediaTypes.every((type) => type === 'video' || type === 'audio');
    if (!granted) options.log.warn('permissions: request denied', { permission });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permission === 'media' && isSameOrigin(requestingOrigin, appOrigin));
  session.setDevicePermissionHandler(() => false);
}

import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { api, UPLOAD_PATH, type UserView } from '../../../../shared/api';
import { PLAYBACK_QUERY, reviewApi } from '../../../../shared/api/review';
import { ApiError, validationError } from '../../errors';
import { mediaDeletedAt } from '../../review/retention';
import type { ReviewDatabase } from '../../review/schema';
import { AccessAudit } from '../../audit/accessAudit';
import type { RouteDeps } from '../deps';

const RETENTION_DELETED = 'This recording was deleted under the retention policy.';

function playbackQuery(request: FastifyRequest): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[PLAYBACK_QUERY];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export default async function recordingRoutes(app: FastifyInstance, { route, recording, files, auth, identity, db, clock }: RouteDeps): Promise<void> {
  const audit = new AccessAudit(db, clock);
  // Only for reply.sendFile (Range, 206, 416, ETag); nothing is served by path.
  await app.register(fastifyStatic, { root: files.recordingsDir, serve: false });
  const reviewDb = db as unknown as Kysely<ReviewDatabase>;

  route(app, api.recordingUploadToken, async ({ user, params, request }) =>
    recording.uploadToken(user, params.sessionId, `${request.protocol}://${request.host}${UPLOAD_PATH}`),
  );
  route(app, api.recordingManifest, async ({ user, params }) => recording.manifest(user, params.sessionId));

  /**
   * `recordingTake` by hand rather than through `route`: a `<video>` cannot send a Bearer token, so this
   * one route also accepts a playback token in `?playback=` (staff-issued, scoped to the session, minutes
   * long). With a Bearer token it is staff only, as the contract says; learners get 403 either way.
   */
  const take = api.recordingTake;
  app.route({
    method: take.method,
    url: take.path,
    handler: async (request, reply) => {
      const parsed = take.params.safeParse(request.params);
      if (!parsed.success) throw validationError('params', parsed.error);
      const { sessionId } = parsed.data;
      const token = playbackQuery(request);
      const via = token !== undefined && request.headers.authorization === undefined ? 'playback' : 'bearer';
      let viewer: UserView;
      if (via === 'playback' && token !== undefined) {
        const claims = await recording.verifyPlayback(token, sessionId);
        viewer = { id: claims.userId, role: claims.role, email: '', fullName: '' };
      } else {
        viewer = await auth.authenticate(request.headers.authorization);
        if (viewer.role !== 'proctor' && viewer.role !== 'admin') throw new ApiError('forbidden', 'This is only available to proctors and administrators.');
      }
      if ((await mediaDeletedAt(reviewDb, sessionId)) !== null) throw new ApiError('recording_not_found', RETENTION_DELETED);
      const file = await recording.playableTake(viewer, sessionId, parsed.data.take);
      await audit.record(viewer, { sessionId, kind: 'recording_take', itemId: String(parsed.data.take), via });
      // A token in the URL must not be kept by a cache; the video is fetched again on the next visit.
      return reply.header('cache-control', 'no-store').sendFile(file, { cacheControl: false, acceptRanges: true });
    },
  });

  route(app, reviewApi.playbackGrant, async ({ user, params }) => {
    const { sessionId } = params;
    const { token, expiresAt } = await recording.playbackToken(user, sessionId);
    const deleted = (await mediaDeletedAt(reviewDb, sessionId)) !== null;
    const [manifest, record] = deleted ? [null, null] : await Promise.all([recording.manifest(user, sessionId), identity.record(user, sessionId)]);
    const query = `?${PLAYBACK_QUERY}=${encodeURIComponent(token)}`;
    const sid = encodeURIComponent(sessionId);
    return {
      sessionId,
      expiresAt: new Date(expiresAt).toISOString(),
      takes: (manifest?.takes ?? []).filter((t) => t.playable).map((t) => ({ take: t.index, url: `/api/sessions/${sid}/recording/takes/${t.index}${query}` })),
      images: (record?.images ?? []).map((image) => ({
        imageId: image.id,
        url: `/api/review/sessions/${sid}/playback/images/${encodeURIComponent(image.id)}${query}`,
      })),
    };
  });

  route(app, reviewApi.playbackImage, async ({ params, request, reply }) => {
    const claims = await recording.verifyPlayback(playbackQuery(request), params.sessionId);
    if ((await mediaDeletedAt(reviewDb, params.sessionId)) !== null) {
      throw new ApiError('not_found', 'This identity image was deleted under the retention policy.');
    }
    const viewer: UserView = { id: claims.userId, role: claims.role, email: '', fullName: '' };
    const jpeg = await identity.image(viewer, params.sessionId, params.imageId);
    await audit.record(viewer, { sessionId: params.sessionId, kind: 'identity_image', itemId: params.imageId, via: 'playback' });
    // Never cached by a browser or proxy: an ID photo stays on the server.
    return reply.type('image/jpeg').header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(jpeg);
  });
}

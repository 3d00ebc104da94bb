import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { api, UPLOAD_PATH } from '../../../../shared/api';
import type { RouteDeps } from '../deps';

export default async function recordingRoutes(app: FastifyInstance, { route, recording, files }: RouteDeps): Promise<void> {
  // Only for reply.sendFile (Range, 206, 416, ETag); nothing is served by path.
  await app.register(fastifyStatic, { root: files.recordingsDir, serve: false });

  route(app, api.recordingUploadToken, async ({ user, params, request }) =>
    recording.uploadToken(user, params.sessionId, `${request.protocol}://${request.host}${UPLOAD_PATH}`),
  );
  route(app, api.recordingManifest, async ({ user, params }) => recording.manifest(user, params.sessionId));
  route(app, api.recordingTake, async ({ user, params, reply }) => {
    const file = await recording.playableTake(user, params.sessionId, params.take);
    return reply.sendFile(file, { cacheControl: false, acceptRanges: true });
  });
}

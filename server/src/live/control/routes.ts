import type { FastifyInstance } from 'fastify';
import { api } from '../../../../shared/api';
import type { DefineRoute } from '../../http/route';
import type { LiveControlService } from './liveControlService';

export interface LiveControlRouteDeps {
  readonly route: DefineRoute;
  readonly control: LiveControlService;
}

/** Staff actions (`staff` in the contract: learners are answered 403) and the learner's acknowledgement. */
export default async function liveControlRoutes(app: FastifyInstance, { route, control }: LiveControlRouteDeps): Promise<void> {
  route(app, api.sendLiveMessage, async ({ user, params, body }) => control.sendMessage(user, params.sessionId, body.text));
  route(app, api.pauseSession, async ({ user, params, body }) => control.pause(user, params.sessionId, body.reason));
  route(app, api.resumeSession, async ({ user, params }) => control.resume(user, params.sessionId));
  route(app, api.endSession, async ({ user, params, body, request }) => {
    const reply = await control.end(user, params.sessionId, body.reason);
    // Ids only: the reason is in the attempt's flags.
    request.log.info({ sessionId: params.sessionId }, 'attempt ended by a proctor');
    return reply;
  });
  route(app, api.ackLiveMessage, async ({ user, params }) => control.acknowledge(user, params.sessionId, params.messageId));
}

import type { FastifyInstance } from 'fastify';
import { gradingApi } from '../../../shared/api/grading';
import type { DefineRoute } from '../http/route';
import type { GradingService } from './gradingService';

export interface GradingRouteDeps {
  readonly route: DefineRoute;
  readonly grading: GradingService;
}

/**
 * Grading and results: `admin` in the contract (proctors review behaviour and never see answers), so
 * others are answered 403 before anything runs; a learner's result is `learner`, for their own attempts.
 */
export default async function gradingRoutes(app: FastifyInstance, { route, grading }: GradingRouteDeps): Promise<void> {
  route(app, gradingApi.gradingExams, async () => grading.listExams());
  route(app, gradingApi.gradingResponses, async ({ user, params }) => grading.responses(user, params.examId, params.questionId));
  route(app, gradingApi.recordGrade, async ({ user, params, body, request }) => {
    const result = await grading.recordGrade(user, params, body);
    // Ids and points only: the comment and the answer stay out of the log.
    request.log.info({ examId: params.examId, questionId: params.questionId, responseId: params.responseId, points: body.points }, 'grade recorded');
    return result;
  });
  route(app, gradingApi.examResults, async ({ params }) => grading.examResults(params.examId));
  route(app, gradingApi.releaseResults, async ({ user, params, request }) => {
    const result = await grading.releaseResults(user, params.examId);
    request.log.info({ examId: params.examId, verified: result.verified }, 'results released');
    return result;
  });
  route(app, gradingApi.exportResults, async ({ user, params }) => grading.exportResults(user, params.examId));
  route(app, gradingApi.staffAudit, async ({ params }) => grading.auditOf(params.examId));
  route(app, gradingApi.getResult, async ({ user, params }) => grading.learnerResult(user, params.sessionId));
}

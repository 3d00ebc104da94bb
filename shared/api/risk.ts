import { z } from 'zod';
import { SessionEventKind } from './events';
import { route } from './route';

/**
 * A session's risk score for the review screen: the number that orders the queue and, per
 * kind of flag, what it added and why (shared/domain/riskScore.ts documents the weights). Staff only.
 */
export const RiskContributionView = z.object({
  kind: SessionEventKind,
  count: z.number().int(),
  seconds: z.number(),
  /** Most points this kind can add. */
  weight: z.number(),
  points: z.number(),
  /** One plain sentence: what was seen and what it added. */
  reason: z.string(),
});
export type RiskContributionView = z.infer<typeof RiskContributionView>;

export const SessionRiskResponse = z.object({
  sessionId: z.string(),
  /** 0..100: the sum of the contributions' points, capped at 100. */
  score: z.number().min(0).max(100),
  /** Highest points first; informational kinds are listed with 0. */
  contributions: z.array(RiskContributionView),
  /** How to read the score, in one sentence, for the top of the explanation. */
  summary: z.string(),
});
export type SessionRiskResponse = z.infer<typeof SessionRiskResponse>;

export const riskApi = {
  /** Staff: the score and its explanation, computed now from the session's flags and recording gaps. */
  sessionRisk: route({
    method: 'GET',
    path: '/api/sessions/:sessionId/risk',
    auth: 'staff',
    params: z.object({ sessionId: z.string().min(1).max(64) }),
    reply: SessionRiskResponse,
  }),
} as const;

import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Blind response ids: HMAC-SHA256 of (attempt, question) under a key only the server holds, so a
 * marker cannot tell whose answer they read nor link one learner's answers to different questions,
 * and the server maps an id back by recomputing it over the exam's attempts (nothing is stored).
 */
export function responseId(key: string, sessionId: string, questionId: string): string {
  return createHmac('sha256', key).update(`grading-response\u0000${sessionId}\u0000${questionId}`).digest('base64url').slice(0, 22);
}

/** The key for response ids, derived from the JWT secret (which persists in the data folder). */
export function deriveGradingKey(jwtSecret: string): string {
  return Buffer.from(hkdfSync('sha256', jwtSecret, 'invigil', 'grading response id v1', 32)).toString('base64url');
}

import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestServer, describeEachDialect, type TestServer } from '../../../test/helper';

describeEachDialect('GET /api/me', (dialect) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer(dialect);
  });
  afterEach(() => t.close());

  it('returns the signed-in account for every role', async () => {
    for (const [who, role, fullName] of [
      ['learner', 'learner', 'Amara Okafor'],
      ['learner2', 'learner', 'Jonas Müller'],
      ['proctor', 'proctor', 'Priya Raman'],
      ['admin', 'admin', 'Sam Whitfield'],
    ] as const) {
      const { accessToken, user } = await t.signIn(who);
      const res = await t.call('me', { token: accessToken });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: user.id, email: user.email, fullName, role });
    }
  });
});

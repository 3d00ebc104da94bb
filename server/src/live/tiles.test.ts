import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LiveTile } from '../../../shared/api';
import { createTestServer, describeEachDialect, ISO, startAttempt, T0, type TestServer } from '../../test/helper';
import { ExamStore } from '../exams/examStore';
import { loadTiles, tilesFrame } from './tiles';

describeEachDialect('live tiles', (dialect) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer(dialect);
  });
  afterEach(() => t.close());

  async function flag(sessionId: string, kind: string, severity: 'info' | 'low' | 'medium' | 'high', at: number): Promise<void> {
    await t.db
      .insertInto('monitor_events')
      .values({
        id: randomUUID(),
        session_id: sessionId,
        kind,
        severity,
        started_at: at,
        ended_at: null,
        reason: 'test',
        detail: '{}',
        source: 'client',
        received_at: at,
        confidence: null,
        thumbnail: null,
      })
      .execute();
  }

  it('shows the learner, exam, running section with its server deadline and the five newest flags, sorted by name', async () => {
    const learner = (await t.signIn('learner')).accessToken;
    const learner2 = (await t.signIn('learner2')).accessToken;
    const first = await startAttempt(t, learner, 'practice-mini');
    const second = await startAttempt(t, learner2, 'practice-mini');
    expect((await t.call('openSection', { token: learner, params: { sessionId: first, sectionId: 's1' }, body: {} })).status).toBe(200);
    const kinds = ['focus_lost', 'looking_away', 'multiple_faces', 'blocked_process', 'display_added', 'no_face'];
    for (const [i, kind] of kinds.entries()) await flag(first, kind, i % 2 ? 'high' : 'low', T0 + i * 1_000);
    await flag(first, 'display_removed', 'info', T0 + 60_000);

    const tiles = await loadTiles(
      t.db,
      new ExamStore(t.db, t.clock.read),
      [
        { sessionId: first, handRaised: true, sources: ['screen', 'camera'] },
        { sessionId: second, handRaised: false, sources: [] },
        { sessionId: 'gone', handRaised: false, sources: ['camera'] },
      ],
      t.clock.read(),
    );
    const names = await Promise.all([learner, learner2].map(async (token) => (await t.call('me', { token })).body.fullName as string));
    expect(tiles.map((tile) => tile.learnerName)).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    const tile = tiles.find((x) => x.sessionId === first)!;
    expect(tile).toMatchObject({ learnerName: names[0], examTitle: 'Practice mini', sectionTitle: 'Choices and numbers', handRaised: true, sources: ['camera', 'screen'] });
    expect(Date.parse(tile.sectionEndsAt!)).toBe(T0 + 10 * 60_000);
    expect(tile.recentFlags).toEqual(
      kinds
        .map((kind, i) => ({ kind, severity: i % 2 ? 'high' : 'low', startedAt: ISO(T0 + i * 1_000) }))
        .reverse()
        .slice(0, 5),
    );
    expect(tiles.find((x) => x.sessionId === second)).toMatchObject({ sectionTitle: null, sectionEndsAt: null, recentFlags: [] });

    // Past the deadline the section no longer counts as running, even before anything closes it.
    expect((await loadTiles(t.db, new ExamStore(t.db, t.clock.read), [{ sessionId: first, handRaised: false, sources: [] }], T0 + 11 * 60_000))[0]).toMatchObject({
      sectionTitle: null,
      sectionEndsAt: null,
    });
  });
});

it('fits the tiles frame in the cap: flags go first, then the tiles past it', () => {
  const tile = (i: number): LiveTile => ({
    sessionId: `s${i}`,
    learnerName: `Learner ${String(i).padStart(3, '0')}`,
    examTitle: 'Exam',
    sectionTitle: null,
    sectionEndsAt: null,
    handRaised: false,
    sources: ['camera'],
    recentFlags: [{ kind: 'focus_lost', severity: 'low', startedAt: ISO(T0) }],
    pausedSince: null,
    lastMessage: null,
  });
  const few = [tile(1), tile(2)];
  expect(tilesFrame(few, 64 * 1024)).toEqual({ text: JSON.stringify({ notification: 'tiles', data: { tiles: few } }), trimmed: false });
  const many = Array.from({ length: 400 }, (_, i) => tile(i));
  const { text, trimmed } = tilesFrame(many, 64 * 1024);
  expect(trimmed).toBe(true);
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64 * 1024);
  const sent = (JSON.parse(text) as { data: { tiles: LiveTile[] } }).data.tiles;
  expect(sent.length).toBeGreaterThan(100);
  expect(sent.every((x, i) => x.sessionId === `s${i}` && x.recentFlags.length === 0)).toBe(true);
});

import { describe, expect, it } from 'vitest';
import type { PostEventsResponse, SessionEvent } from '../../../../shared/api/events';
import { fail, ok } from '../../../../shared/result';
import { EventOutbox } from './eventOutbox';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

const event = (n: number, endedAt: string | null = null): SessionEvent => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  kind: 'focus_lost',
  severity: 'medium',
  startedAt: '2026-11-28T10:00:00.000Z',
  endedAt,
  reason: 'The exam window lost focus.',
  confidence: null,
  thumbnail: null,
  detail: {},
});

type Reply = 'ok' | 'network' | 'validation_failed' | 'session_closed' | PostEventsResponse;

function world(replies: Reply[]) {
  const storage = memoryStorage();
  const posted: SessionEvent[][] = [];
  const timers: Array<() => void> = [];
  const logged: [string, Record<string, unknown> | undefined][] = [];
  const api = {
    call: async (_name: string, args: { body: { events: SessionEvent[] } }) => {
      posted.push(args.body.events);
      const r = replies.shift() ?? 'ok';
      if (typeof r === 'object') return ok(r);
      return r === 'ok' ? ok({ stored: args.body.events.length, duplicate: 0, rejected: [] }) : fail(r, r);
    },
  };
  const outbox = new EventOutbox('s1', {
    api: api as never,
    storage,
    setTimeout: (fn) => {
      timers.push(fn);
      return () => {};
    },
    log: { ...silent, warn: (m, f) => void logged.push([m, f]), error: (m, f) => void logged.push([m, f]) },
  });
  return { outbox, storage, posted, timers, logged };
}

describe('EventOutbox', () => {
  it('sends events and forgets them once the server has them', async () => {
    const w = world(['ok']);
    await w.outbox.add([event(1), event(2)]);
    expect(w.posted).toHaveLength(1);
    expect(w.outbox.pending()).toEqual([]);
  });

  it('keeps events through an outage (in storage) and retries', async () => {
    const w = world(['network', 'ok']);
    await w.outbox.add([event(1)]);
    expect(w.outbox.pending()).toHaveLength(1);
    expect(w.storage.m.size).toBe(1);
    expect(w.timers).toHaveLength(1);
    w.timers[0]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(w.posted).toHaveLength(2);
    expect(w.outbox.pending()).toEqual([]);
  });

  it('replaces an event by id when it is updated (an interval that ended)', async () => {
    const w = world(['network', 'network']);
    await w.outbox.add([event(1)]);
    await w.outbox.add([event(1, '2026-11-28T10:00:09.000Z')]);
    expect(w.outbox.pending()).toEqual([event(1, '2026-11-28T10:00:09.000Z')]);
  });

  it('drops a batch the server refuses for good, instead of retrying forever', async () => {
    const w = world(['validation_failed']);
    await w.outbox.add([event(1)]);
    expect(w.outbox.pending()).toEqual([]);
    expect(w.timers).toHaveLength(0);
  });

  it('drops a batch for an attempt the review has closed (session_closed), saying so', async () => {
    const w = world(['session_closed']);
    await w.outbox.add([event(1), event(2)]);
    expect(w.outbox.pending()).toEqual([]);
    expect(w.timers).toHaveLength(0);
    expect(w.logged).toEqual([['session events refused by the server', { code: 'session_closed', count: 2 }]]);
  });

  it('drops the entries the server refuses one by one, logging each with its code, and resends none', async () => {
    const w = world([
      {
        stored: 1,
        duplicate: 0,
        rejected: [
          { index: 1, id: event(2).id, code: 'invalid_text', message: 'reason: contains a NUL character.' },
          { index: 2, id: event(3).id, code: 'outside_attempt', message: 'The event starts outside the attempt.' },
        ],
      },
    ]);
    await w.outbox.add([event(1), event(2), event(3)]);
    expect(w.posted).toHaveLength(1);
    expect(w.outbox.pending()).toEqual([]);
    expect(w.storage.m.size).toBe(0);
    expect(w.timers).toHaveLength(0);
    expect(w.logged).toEqual([
      ['session event refused by the server', { id: event(2).id, kind: 'focus_lost', code: 'invalid_text', message: 'reason: contains a NUL character.' }],
      ['session event refused by the server', { id: event(3).id, kind: 'focus_lost', code: 'outside_attempt', message: 'The event starts outside the attempt.' }],
    ]);
    await w.outbox.flush();
    expect(w.posted).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../../shared/api/events';
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

function world(replies: Array<'ok' | 'network' | 'validation_failed'>) {
  const storage = memoryStorage();
  const posted: SessionEvent[][] = [];
  const timers: Array<() => void> = [];
  const api = {
    call: async (_name: string, args: { body: { events: SessionEvent[] } }) => {
      posted.push(args.body.events);
      const r = replies.shift() ?? 'ok';
      return r === 'ok' ? ok({ stored: args.body.events.length, duplicate: 0 }) : fail(r, r);
    },
  };
  const outbox = new EventOutbox('s1', {
    api: api as never,
    storage,
    setTimeout: (fn) => {
      timers.push(fn);
      return () => {};
    },
    log: silent,
  });
  return { outbox, storage, posted, timers };
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
});

import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { UserView } from '../../../../shared/api/auth';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { progress, recordingWorld } from '../../test/recordingWorld';
import { PendingUploadsBanner } from './PendingUploadsBanner';
import { useResumeUploads } from './useResumeUploads';

function Resumer() {
  useResumeUploads();
  return null;
}

const learner = { id: 'u1', email: 'learner@example.edu', fullName: 'Ada Learner', role: 'learner' } as UserView;

function setup() {
  let user: UserView | null = null;
  const userListeners = new Set<(u: UserView | null) => void>();
  const tokensFor: string[] = [];
  const call = (async (name: string, args: { params?: { sessionId: string } }) => {
    if (name !== 'recordingUploadToken') return fail('internal', name);
    tokensFor.push(args.params!.sessionId);
    return ok({ endpoint: 'http://127.0.0.1:9/api/uploads', token: `tok-${args.params!.sessionId}`, expiresAt: '2030-06-01T12:00:00.000Z' });
  }) as unknown as Services['api']['call'];
  const world = recordingWorld(call);
  const api = {
    call,
    currentUser: () => user,
    onUserChange: (l: (u: UserView | null) => void) => {
      userListeners.add(l);
      return () => userListeners.delete(l);
    },
  };
  const services = { host: world.host, api, recording: world.recording, uploads: world.uploads, log: silentLogger } as unknown as Services;
  render(
    <ServicesContext.Provider value={services}>
      <Resumer />
      <PendingUploadsBanner />
    </ServicesContext.Provider>,
  );
  const signIn = async () => {
    user = learner;
    await act(async () => {
      for (const l of [...userListeners]) l(user);
    });
  };
  return { ...world, tokensFor, signIn };
}

describe('uploads left by a closed app', () => {
  it('resume after sign-in: each pending session gets a fresh token, and the exam list says uploads are going on', async () => {
    const t = setup();
    t.uploadHost.listed = [
      progress('s-old', { state: 'needs_authorization', pendingSegments: 2, pendingBytes: 3_500_000, safeToClose: false }),
      progress('s-done', { state: 'done', uploadedBytes: 9_000_000, safeToClose: true }),
    ];
    await act(async () => {});
    expect(t.uploadHost.listCalls).toBe(0);
    expect(screen.queryByText(/Uploading recordings from an earlier session/)).not.toBeInTheDocument();

    await t.signIn();
    expect(t.uploadHost.listCalls).toBe(1);
    expect(t.tokensFor).toEqual(['s-old']);
    expect(t.uploadHost.authorized).toEqual([{ sessionId: 's-old', token: 'tok-s-old' }]);
    expect(screen.getByText(/Uploading recordings from an earlier session… 3.5 MB left\./)).toBeInTheDocument();

    act(() => t.uploadHost.emit(progress('s-old', { state: 'done', uploadedBytes: 3_500_000, safeToClose: true })));
    expect(screen.queryByText(/Uploading recordings from an earlier session/)).not.toBeInTheDocument();
  });
});

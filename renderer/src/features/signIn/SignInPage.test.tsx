import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { UserView } from '../../../../shared/api/auth';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import type { ApiClient, ApiResult } from '../../services/api/apiClient';
import { silentLogger } from '../../services/logger';
import { SignInPage } from './SignInPage';

const learner: UserView = { id: 'u1', email: 'learner@invigil.test', fullName: 'Ada Learner', role: 'learner' };

function renderSignIn(signIn: (email: string, password: string) => Promise<ApiResult<UserView>>, hostKind: 'desktop' | 'web' = 'web') {
  let user: UserView | null = null;
  const listeners = new Set<(u: UserView | null) => void>();
  const calls: { name: string; body: unknown }[] = [];
  const api: ApiClient = {
    call: (async (name: string, args: { body?: unknown }) => {
      calls.push({ name, body: args.body });
      return name === 'enrollInstall' ? ok({ installId: 'f'.repeat(32) }) : fail('internal', 'not used');
    }) as ApiClient['call'],
    signIn: async (email, password) => {
      const result = await signIn(email, password);
      if (result.ok) {
        user = result.value;
        listeners.forEach((l) => l(user));
      }
      return result;
    },
    signOut: async () => {},
    currentUser: () => user,
    onUserChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    serverUrl: async () => 'http://127.0.0.1:8099',
  };
  const appInfo = { hostKind, appVersion: '0.1.0', platform: 'linux', capabilities: { kiosk: false, contentProtection: false, processList: false, translatorView: false } };
  const host = { 'attest:identity': async () => ok({ installId: 'f'.repeat(32), publicKey: 'MCowBQYDK2VwAyEA', keyProtection: 'os' }) };
  render(
    <ServicesContext.Provider value={{ api, host, appInfo, log: silentLogger } as unknown as Services}>
      <MemoryRouter initialEntries={['/sign-in']}>
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/exams" element={<h1>Your exams</h1>} />
        </Routes>
      </MemoryRouter>
    </ServicesContext.Provider>,
  );
  return { calls };
}

async function fillAndSubmit(email: string, password: string) {
  await userEvent.type(screen.getByLabelText('Email'), email);
  await userEvent.type(screen.getByLabelText('Password'), password);
  await userEvent.keyboard('{Enter}');
}

describe('SignInPage', () => {
  it('focuses its heading and shows the server it talks to', async () => {
    renderSignIn(async () => ok(learner));
    expect(screen.getByRole('heading', { name: 'Sign in to Invigil' })).toHaveFocus();
    expect(await screen.findByText('Server: http://127.0.0.1:8099')).toBeInTheDocument();
  });

  it('explains a wrong password in an alert', async () => {
    renderSignIn(async () => fail('invalid_credentials', 'bad'));
    await fillAndSubmit('learner@invigil.test', 'nope');
    expect(await screen.findByRole('alert')).toHaveTextContent('That email and password do not match an account');
  });

  it('asks to wait after too many attempts', async () => {
    renderSignIn(async () => fail('rate_limited', 'slow down'));
    await fillAndSubmit('learner@invigil.test', 'x');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Wait a minute, then try again.');
  });

  it('names the server when it cannot be reached', async () => {
    renderSignIn(async () => fail('network', 'down'));
    await fillAndSubmit('learner@invigil.test', 'x');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The server cannot be reached at http://127.0.0.1:8099. Check your internet connection or the server address',
    );
  });

  it('signs in with Enter and goes to the exam list', async () => {
    const seen: string[] = [];
    renderSignIn(async (email, password) => {
      seen.push(`${email}/${password}`);
      return ok(learner);
    });
    await fillAndSubmit('learner@invigil.test', 'learner-demo-1');
    expect(await screen.findByRole('heading', { name: 'Your exams' })).toBeInTheDocument();
    expect(seen).toEqual(['learner@invigil.test/learner-demo-1']);
  });

  it('in the desktop app, enrols this install’s key for the learner who signed in', async () => {
    const { calls } = renderSignIn(async () => ok(learner), 'desktop');
    await fillAndSubmit('learner@invigil.test', 'learner-demo-1');
    expect(await screen.findByRole('heading', { name: 'Your exams' })).toBeInTheDocument();
    expect(calls).toEqual([{ name: 'enrollInstall', body: { publicKey: 'MCowBQYDK2VwAyEA', keyProtection: 'os' } }]);
  });

  it('in a browser, enrols nothing', async () => {
    const { calls } = renderSignIn(async () => ok(learner));
    await fillAndSubmit('learner@invigil.test', 'learner-demo-1');
    expect(await screen.findByRole('heading', { name: 'Your exams' })).toBeInTheDocument();
    expect(calls).toEqual([]);
  });
});

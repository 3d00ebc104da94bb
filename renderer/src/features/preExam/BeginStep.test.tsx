import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../../shared/api/sessions';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { recordingWorld } from '../../test/recordingWorld';
import { BeginStep } from './BeginStep';
import { exam } from '../../test/stepWorld';


const session = {
  id: 's9',
  examId: 'trial',
  status: 'created',
  checks: { consent: true, systemCheck: 'passed', identity: 'manual_review', translator: 'youdao', translatorRequired: true },
} as unknown as SessionView;

function setup() {
  const calls: string[] = [];
  const call = (async (name: string) => {
    calls.push(name);
    switch (name) {
      case 'startSession':
        return ok({ id: 's9' });
      case 'recordingUploadToken':
        return ok({ endpoint: 'http://127.0.0.1:9/api/uploads', token: 'tok-1', expiresAt: '2030-06-01T12:00:00.000Z' });
      default:
        return fail('internal', name);
    }
  }) as unknown as Services['api']['call'];
  const world = recordingWorld(call);
  const lockdown = {
    engaged: [] as Array<{ sessionId: string; translator: string | null }>,
    answer: 'ok' as 'ok' | 'fail',
    async engage(sessionId: string, _policy: unknown, translator: string | null) {
      calls.push('lockdown');
      this.engaged.push({ sessionId, translator });
      return this.answer === 'ok'
        ? ok({ sessionId, mode: 'browser_fullscreen' as const, contentProtection: false, processScan: false })
        : fail('engage_failed' as const, 'The window could not be made full screen.');
    },
    async release() {
      calls.push('release');
    },
    current: () => null,
    onQuitRequested: () => () => {},
  };
  const services = {
    lockdown,
    host: world.host,
    appInfo: { hostKind: 'web', appVersion: '0', platform: 'linux', capabilities: { kiosk: false, contentProtection: false, processList: false, translatorView: false } },
    api: { call },
    camera: world.camera,
    recording: world.recording,
    uploads: world.uploads,
    now: () => Date.parse('2030-06-01T09:00:00.000Z'),
    log: silentLogger,
  } as unknown as Services;
  const view = () =>
    render(
      <ServicesContext.Provider value={services}>
        <MemoryRouter initialEntries={['/sessions/s9/checks']}>
          <Routes>
            <Route path="/sessions/:sessionId/checks" element={<BeginStep exam={exam} session={session} onSessionChange={() => {}} onDone={() => {}} />} />
            <Route path="/sessions/:sessionId" element={<p>The player</p>} />
          </Routes>
        </MemoryRouter>
      </ServicesContext.Provider>,
    );
  return { ...world, calls, view, lockdown };
}

describe('BeginStep: camera and microphone, then Begin', () => {
  it('keeps Begin disabled while the camera is blocked, explains the fix, and enables it after Try again', async () => {
    const t = setup();
    t.camera.answers = ['permission_denied'];
    t.view();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Invigil is not allowed to use your camera and microphone.');
    expect(alert).toHaveTextContent('Allow the camera and microphone for Invigil');
    const begin = screen.getByRole('button', { name: 'Begin' });
    expect(begin).toBeDisabled();
    expect(begin).toHaveAccessibleDescription('You can begin when your camera and microphone work.');

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Your camera and microphone work.');
    expect(screen.getByRole('button', { name: 'Begin' })).toBeEnabled();
    expect(screen.getByLabelText('Your camera preview').tagName).toBe('VIDEO');
    expect(screen.getByLabelText('Your camera preview')).toHaveProperty('muted', true);
  });

  it('explains a busy camera and a missing one, each with its fix', async () => {
    const t = setup();
    t.camera.answers = ['device_busy', 'no_camera'];
    t.view();
    expect(await screen.findByRole('alert')).toHaveTextContent('Close Zoom, Teams, Skype and any other app that uses the camera');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('No camera was found on this computer.'));
  });

  it('lists the devices by name and reopens the preview with the one chosen', async () => {
    const t = setup();
    t.view();
    await screen.findByText('Your camera and microphone work.');
    const cameraSelect = screen.getByRole('combobox', { name: 'Camera' });
    expect(screen.getByRole('combobox', { name: 'Microphone' })).toHaveDisplayValue('Built-in microphone');
    await waitFor(() => expect(cameraSelect).toHaveDisplayValue('Built-in camera'));
    await userEvent.selectOptions(cameraSelect, 'USB webcam');
    await waitFor(() => expect(t.camera.choices.at(-1)).toEqual({ cameraId: 'cam-2', microphoneId: null }));
    expect(t.camera.opened[0]!.tracks.every((track) => track.stopped)).toBe(true);
    expect(t.recording.devices()).toEqual({ cameraId: 'cam-2', microphoneId: null });
  });

  it('on Begin locks the exam down, starts the session, authorizes uploads and starts recording before opening the exam', async () => {
    const t = setup();
    t.view();
    await screen.findByText('Your camera and microphone work.');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Begin' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Begin' }));
    await screen.findByText('The player');
    expect(t.calls).toEqual(['lockdown', 'startSession', 'recordingUploadToken']);
    expect(t.lockdown.engaged).toEqual([{ sessionId: 's9', translator: 'youdao' }]);
    expect(t.uploadHost.authorized).toEqual([{ sessionId: 's9', token: 'tok-1' }]);
    expect(t.journal.log()).toEqual(['start 0']);
    expect(t.recording.active()?.status.state).toBe('recording');
  });

  it('does not start the session when the lockdown cannot engage, and says why', async () => {
    const t = setup();
    t.lockdown.answer = 'fail';
    t.view();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Begin' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Begin' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The exam window could not be secured, so the exam cannot begin yet.');
    expect(t.calls).toEqual(['lockdown']);
    expect(screen.queryByText('The player')).toBeNull();
  });
});

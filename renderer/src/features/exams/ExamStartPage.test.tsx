import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { ExamSummary } from '../../../../shared/api/exams';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { recordingWorld } from '../../test/recordingWorld';
import { ExamStartPage } from './ExamStartPage';

const exam: ExamSummary = {
  id: 'trial',
  code: 'TRIAL',
  title: 'Sample Proctored Trial Test',
  kind: 'practice',
  description: 'Practice',
  passPercent: 60,
  windowOpensAt: null,
  windowClosesAt: null,
  allowWebClient: true,
  timeMultiplier: 1,
  sections: [
    { id: 'a', title: 'Part A', durationMinutes: 20, questionCount: 3 },
    { id: 'b', title: 'Part B', durationMinutes: 30, questionCount: 2 },
  ],
  attempt: null,
};

/** 50 minutes × 66,500 bytes/s (0.532 Mbit/s) × 1.5. */
const REQUIRED = 50 * 60 * 66_500 * 1.5;

function setup() {
  const calls: string[] = [];
  const call = (async (name: string) => {
    calls.push(name);
    switch (name) {
      case 'listExams':
        return ok({ exams: [exam] });
      case 'createSession':
        return ok({ id: 's9' });
      case 'startSession':
        return ok({ id: 's9' });
      case 'recordingUploadToken':
        return ok({ endpoint: 'http://127.0.0.1:9/api/uploads', token: 'tok-1', expiresAt: '2030-06-01T12:00:00.000Z' });
      default:
        return fail('internal', name);
    }
  }) as unknown as Services['api']['call'];
  const world = recordingWorld(call);
  const services = {
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
        <MemoryRouter initialEntries={['/exams/trial']}>
          <Routes>
            <Route path="/exams/:examId" element={<ExamStartPage />} />
            <Route path="/sessions/:sessionId" element={<p>The player</p>} />
          </Routes>
        </MemoryRouter>
      </ServicesContext.Provider>,
    );
  return { ...world, calls, view };
}

describe('ExamStartPage camera and microphone step', () => {
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

  it('keeps Begin disabled when the disk cannot hold the recording and says how much space is needed', async () => {
    const t = setup();
    t.uploadHost.freeBytes = 100e6;
    t.view();
    await screen.findByText('Your camera and microphone work.');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Not enough free disk space for the recording. This exam needs 299.3 MB free; this computer has 100.0 MB.',
    );
    expect(t.uploadHost.diskAsked).toEqual([REQUIRED]);
    const begin = screen.getByRole('button', { name: 'Begin' });
    expect(begin).toBeDisabled();
    expect(begin).toHaveAccessibleDescription('You can begin when there is enough free disk space for the recording.');

    t.uploadHost.freeBytes = 10e9;
    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Begin' })).toBeEnabled());
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

  it('on Begin starts the session, authorizes uploads and starts recording before opening the exam', async () => {
    const t = setup();
    t.view();
    await screen.findByText('Your camera and microphone work.');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Begin' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Begin' }));
    await screen.findByText('The player');
    expect(t.calls).toEqual(['listExams', 'createSession', 'startSession', 'recordingUploadToken']);
    expect(t.uploadHost.authorized).toEqual([{ sessionId: 's9', token: 'tok-1' }]);
    expect(t.journal.log()).toEqual(['start 0']);
    expect(t.recording.active()?.status.state).toBe('recording');
  });
});

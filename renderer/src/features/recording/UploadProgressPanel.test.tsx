import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { progress, recordingWorld } from '../../test/recordingWorld';
import { KEEP_OPEN, REFUSED_KEPT, UploadProgressPanel } from './UploadProgressPanel';

function setup(initial: ReturnType<typeof progress>) {
  const call = (async (name: string) =>
    name === 'recordingUploadToken'
      ? ok({ endpoint: 'http://127.0.0.1:9/api/uploads', token: 'tok', expiresAt: '2030-06-01T12:00:00.000Z' })
      : fail('internal', name)) as unknown as Services['api']['call'];
  const world = recordingWorld(call);
  world.uploadHost.status.set('s1', initial);
  const services = { host: world.host, api: { call }, recording: world.recording, uploads: world.uploads, log: silentLogger } as unknown as Services;
  render(
    <ServicesContext.Provider value={services}>
      <UploadProgressPanel sessionId="s1" />
    </ServicesContext.Provider>,
  );
  return world;
}

describe('UploadProgressPanel', () => {
  it('tells the learner in plain words when the server refused the recording for good, instead of "keep it open"', async () => {
    const t = setup(progress('s1', { state: 'uploading', uploadedBytes: 1_000_000, pendingBytes: 1_000_000, safeToClose: false }));
    await screen.findByText(KEEP_OPEN);
    act(() =>
      t.uploadHost.emit(
        progress('s1', {
          state: 'idle',
          uploadedBytes: 1_000_000,
          pendingBytes: 1_000_000,
          safeToClose: false,
          refused: { code: 'recording_quota_exceeded', message: 'This segment would take the attempt past its quota.' },
        }),
      ),
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Your recording is larger than this exam allows, so the server stopped accepting it.');
    expect(alert).toHaveTextContent(REFUSED_KEPT);
    expect(screen.queryByText(KEEP_OPEN)).not.toBeInTheDocument();
    expect(screen.queryByText('Waiting to upload…')).not.toBeInTheDocument();
  });
});

import { act, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import { silentLogger } from '../../services/logger';
import { progress, recordingWorld } from '../../test/recordingWorld';
import { ReceiptPage } from './ReceiptPage';

const KEEP_OPEN = 'Keep Invigil open until the upload finishes. If you close it, the upload continues the next time you open Invigil.';
const SAFE = 'Your recording has been uploaded. It is safe to close Invigil.';

async function setup(options: { recording?: boolean; endedReason?: string } = {}) {
  const calls: string[] = [];
  const call = (async (name: string) => {
    calls.push(name);
    if (name === 'getReceipt') {
      return ok({
        sessionId: 's1',
        examTitle: 'Sample Proctored Trial Test',
        practice: true,
        status: 'submitted',
        submittedAt: '2030-06-01T10:00:00.000Z',
        receiptCode: 'ABCD-1234',
        answeredCount: 5,
        questionCount: 5,
        autoScore: null,
        passPercent: 60,
      });
    }
    if (name === 'recordingUploadToken') return ok({ endpoint: 'http://127.0.0.1:9/api/uploads', token: `tok-${calls.length}`, expiresAt: '2030-06-01T12:00:00.000Z' });
    return fail('internal', name);
  }) as unknown as Services['api']['call'];
  const world = recordingWorld(call);
  if (options.recording) await world.recording.ensure('s1');
  const services = { host: world.host, api: { call }, recording: world.recording, uploads: world.uploads, log: silentLogger } as unknown as Services;
  render(
    <ServicesContext.Provider value={services}>
      <MemoryRouter initialEntries={[{ pathname: '/sessions/s1/receipt', state: options.endedReason ? { endedReason: options.endedReason } : null }]}>
        <Routes>
          <Route path="/sessions/:sessionId/receipt" element={<ReceiptPage />} />
        </Routes>
      </MemoryRouter>
    </ServicesContext.Provider>,
  );
  return { ...world, calls };
}

describe('ReceiptPage upload progress', () => {
  it('shows the upload with size and time left, says to keep the app open, then that it is safe to close', async () => {
    const t = await setup();
    t.uploadHost.status.set('s1', progress('s1', { state: 'uploading', uploadedBytes: 2_000_000, pendingBytes: 6_000_000, bytesPerSecond: 50_000, safeToClose: false }));
    const bar = await screen.findByRole('progressbar', { name: 'Uploading your recording' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(bar).toHaveAttribute('aria-valuetext', '2.0 MB of 8.0 MB uploaded, about 2 minutes left');
    expect(screen.getByText(KEEP_OPEN)).toBeInTheDocument();
    expect(screen.queryByText(SAFE)).not.toBeInTheDocument();

    act(() => t.uploadHost.emit(progress('s1', { state: 'uploading', uploadedBytes: 6_000_000, pendingBytes: 2_000_000, bytesPerSecond: 50_000, safeToClose: false })));
    expect(bar).toHaveAttribute('aria-valuenow', '75');
    expect(screen.getByText('6.0 MB of 8.0 MB uploaded, less than a minute left')).toBeInTheDocument();

    act(() => t.uploadHost.emit(progress('s1', { state: 'done', uploadedBytes: 8_000_000, safeToClose: true })));
    expect(screen.getByText(SAFE)).toBeInTheDocument();
    expect(screen.queryByText(KEEP_OPEN)).not.toBeInTheDocument();
    expect(bar).toHaveAttribute('aria-valuenow', '100');
  });

  it('fetches a fresh token when the uploader needs one', async () => {
    const t = await setup();
    t.uploadHost.status.set('s1', progress('s1', { state: 'needs_authorization', pendingBytes: 1_000, safeToClose: false }));
    await screen.findByText('Renewing the permission to upload…');
    await act(async () => {});
    expect(t.calls).toContain('recordingUploadToken');
    expect(t.uploadHost.authorized.map((a) => a.sessionId)).toEqual(['s1']);
  });

  it('ends a recording still running for this session', async () => {
    const t = await setup({ recording: true });
    await screen.findByRole('progressbar', { name: 'Uploading your recording' });
    expect(t.journal.log()).toEqual(['start 0', 'end 0 submitted']);
  });
});

describe('ReceiptPage after a proctor ended the exam', () => {
  it('says the proctor ended it, with their reason, above the receipt', async () => {
    await setup({ endedReason: 'A phone was in use.' });
    expect(await screen.findByText('Your proctor ended this exam: A phone was in use.')).toBeInTheDocument();
    expect(screen.getByText('ABCD-1234')).toBeInTheDocument();
  });
});

import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { IdAttemptResult, SubmitIdAttemptRequest } from '../../../../shared/api/identity';
import type { ExamSummary } from '../../../../shared/api/exams';
import type { SessionView } from '../../../../shared/api/sessions';
import { fail, ok } from '../../../../shared/result';
import { ServicesContext, type Services } from '../../app/services';
import type { FaceDetection } from '../../services/face/faceService';
import { silentLogger } from '../../services/logger';
import type { IdRead, OcrProgress } from '../../services/ocr/ocrService';
import type { Still, StillCamera } from '../../services/stillCapture/stillCamera';
import { FakeBlob, FakeStream } from '../../test/fakeMedia';
import { IdentityStep } from './IdentityStep';

const exam = { id: 'trial-test', title: 'Sample Proctored Trial Test' } as ExamSummary;

function session(identity: SessionView['checks']['identity']): SessionView {
  return {
    id: 's1',
    checks: { consent: true, systemCheck: 'passed', identity, translator: null, translatorRequired: true },
  } as SessionView;
}

const KWAME: IdRead = {
  fields: {
    fullName: 'KWAME MENSAH',
    surname: 'MENSAH',
    givenNames: 'KWAME',
    documentNumber: 'E82585434',
    dateOfBirth: '1981-10-02',
    expiryDate: '2029-05-09',
    mrzValid: true,
    nameSource: 'both',
    text: 'MENSAH<<KWAME',
  },
  mrzFailures: [],
  ms: 812.4,
};

const face = (descriptor: number[]): FaceDetection => ({
  box: { x: 900, y: 480, width: 100, height: 120, score: 0.9 },
  descriptor: new Float32Array(descriptor),
});

function attemptResult(attempt: number, patch: Partial<IdAttemptResult>): IdAttemptResult {
  return {
    attempt,
    nameVerdict: 'mismatch',
    reason: 'The names share no words.',
    differences: [
      { token: 'AMARA', side: 'registered', kind: 'missing' },
      { token: 'OKAFOR', side: 'registered', kind: 'missing' },
      { token: 'KWAME', side: 'read', kind: 'extra' },
      { token: 'MENSAH', side: 'read', kind: 'extra' },
    ],
    registeredName: 'Amara Okafor',
    readName: 'KWAME MENSAH',
    faceVerdict: 'match',
    status: 'in_progress',
    attemptsLeft: 3 - attempt,
    ...patch,
  };
}

interface Setup {
  identity?: SessionView['checks']['identity'];
  replies?: Partial<Record<string, (body: unknown) => unknown>>;
  read?: () => ReturnType<Services['ocr']['readId']>;
  faces?: FaceDetection[][];
}

function setup(o: Setup = {}) {
  const calls: Array<{ name: string; body: unknown }> = [];
  const call = (async (name: string, args: { body?: unknown }) => {
    calls.push({ name, body: args.body });
    const reply = o.replies?.[name];
    if (reply) return reply(args.body);
    switch (name) {
      case 'submitFacePhoto':
        return ok({});
      case 'continueUnverified':
        return ok({});
      case 'getSession':
        return ok(session('manual_review'));
      default:
        return fail('internal', name);
    }
  }) as unknown as Services['api']['call'];
  let stillCount = 0;
  const discarded: string[] = [];
  const stills: StillCamera = {
    open: async () => ok(new FakeStream().asStream()),
    sample: () => null,
    capture: async () => {
      stillCount++;
      const still: Still = {
        jpeg: new FakeBlob(new Uint8Array(200).fill(stillCount)) as unknown as Blob,
        width: 1920,
        height: 1080,
        canvas: {} as HTMLCanvasElement,
        source: 'frame',
        url: `blob:still-${stillCount}`,
      };
      return ok(still);
    },
    discard: (still) => void discarded.push(still.url),
  };
  const faceAnswers = [...(o.faces ?? [[face([0, 0])], [face([0.3, 0.4])]])];
  const announced: string[] = [];
  const remembered: Array<{ sessionId: string; length: number }> = [];
  const services = {
    api: { call },
    monitor: { rememberIdentityFace: (sessionId: string, d: Float32Array) => remembered.push({ sessionId, length: d.length }) },
    ocr: {
      warm: async () => ok({ ms: 1 }),
      readId: async (_image: unknown, _size: unknown, onProgress?: (p: OcrProgress) => void) => {
        onProgress?.({ stage: 'reading', fraction: 0.5 });
        return o.read ? o.read() : ok(KWAME);
      },
      dispose: async () => {},
    },
    faces: {
      warm: async () => ok({ backend: 'fake', ms: 1 }),
      detect: async () => ok(faceAnswers.length > 1 ? faceAnswers.shift()! : faceAnswers[0]!),
    },
    stills,
    recording: { devices: () => ({ cameraId: 'cam-1', microphoneId: null }) },
    announcer: { announce: (t: string) => void announced.push(t) },
    setInterval: () => () => {},
    setTimeout: () => () => {},
    now: () => Date.parse('2030-06-01T09:00:00.000Z'),
    log: silentLogger,
  } as unknown as Services;
  const onDone = vi.fn();
  const onSessionChange = vi.fn();
  const view = () =>
    render(
      <ServicesContext.Provider value={services}>
        <IdentityStep exam={exam} session={session(o.identity ?? 'not_started')} onSessionChange={onSessionChange} onDone={onDone} />
      </ServicesContext.Provider>,
    );
  const attempts = () => calls.filter((c) => c.name === 'submitIdAttempt').map((c) => c.body as SubmitIdAttemptRequest);
  return { calls, attempts, onDone, onSessionChange, announced, discarded, remembered, view };
}

const user = () => userEvent.setup();

/** The preview shows its first frame (jsdom plays nothing): Take photo waits for it. */
async function pictureShows() {
  const take = await screen.findByRole('button', { name: 'Take photo' });
  expect(take).toBeDisabled();
  const video = (await screen.findByLabelText('Your camera preview')) as HTMLVideoElement;
  // As in a browser, the first frame comes after the stream is attached (a new stream resets the preview).
  await waitFor(() => expect(video.srcObject).not.toBeNull());
  fireEvent(video, new Event('loadeddata'));
  await waitFor(() => expect(take).toBeEnabled());
}

async function takeFacePhoto(u: ReturnType<typeof user>) {
  await pictureShows();
  await u.click(await screen.findByRole('button', { name: 'Take photo' }));
  await u.click(await screen.findByRole('button', { name: 'Use this photo' }));
}

async function takeIdPhoto(u: ReturnType<typeof user>) {
  await u.click(await screen.findByRole('button', { name: 'Capture now' }));
  expect(await screen.findByAltText('The photo of your ID you took')).toHaveAttribute('src', expect.stringMatching(/^blob:still-/));
  await u.click(screen.getByRole('button', { name: 'Use this photo' }));
}

describe('IdentityStep', () => {
  it('skips itself when the exam needs no identity check', () => {
    const t = setup({ identity: 'not_required' });
    const { container } = t.view();
    expect(t.onDone).toHaveBeenCalledTimes(1);
    expect(container).toBeEmptyDOMElement();
  });

  it('passes a learner whose ID matches: face photo, ID photo read and sent, verdict shown, then continues', async () => {
    const t = setup({
      replies: {
        submitIdAttempt: () =>
          ok(attemptResult(1, { nameVerdict: 'match', reason: 'Same name.', differences: [], registeredName: 'Kwame Mensah', status: 'passed', attemptsLeft: 2 })),
        getSession: () => ok(session('passed')),
      },
    });
    const u = user();
    t.view();
    expect(screen.getByRole('heading', { name: 'Identity check' })).toHaveFocus();
    await pictureShows();
    await u.click(await screen.findByRole('button', { name: 'Take photo' }));
    expect(await screen.findByText('✓ Your face is clearly in the photo.')).toBeVisible();
    expect(screen.getByAltText('The photo of your face you took')).toBeVisible();
    await u.click(screen.getByRole('button', { name: 'Use this photo' }));
    expect(await screen.findByRole('heading', { name: /Step 2 of 2: your ID \(attempt 1 of 3\)/ })).toHaveFocus();
    await takeIdPhoto(u);

    const heading = await screen.findByRole('heading', { name: 'Result of attempt 1' });
    expect(heading).toHaveFocus();
    expect(screen.getByText('Identity check passed.', { exact: false })).toBeVisible();
    expect(screen.getByText('The name on your ID matches your registered name.')).toBeVisible();
    expect(t.announced).toContain('Identity check passed.');
    const sent = t.attempts()[0]!;
    expect(sent).toMatchObject({ attempt: 1, width: 1920, height: 1080, capture: 'button', fields: KWAME.fields, ocrMs: 812 });
    expect(sent.faceDistance).toBeCloseTo(0.5, 5);
    // The face photo's descriptor is kept for the exam's comparisons with the live face.
    expect(t.remembered).toEqual([{ sessionId: expect.any(String), length: 2 }]);
    expect(sent.image).toBe(btoa(String.fromCharCode(...new Uint8Array(200).fill(2))));
    const facePhoto = t.calls.find((c) => c.name === 'submitFacePhoto')!.body as { faces: unknown[]; width: number };
    expect(facePhoto.faces).toHaveLength(1);

    await u.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(t.onDone).toHaveBeenCalled());
    expect(t.onSessionChange).toHaveBeenCalledWith(expect.objectContaining({ checks: expect.objectContaining({ identity: 'passed' }) }));
  });

  it('shows a mismatch with the differences marked, allows three attempts, then only continuing flagged for a proctor', async () => {
    let n = 0;
    const t = setup({ replies: { submitIdAttempt: () => ok(attemptResult(++n, {})) } });
    const u = user();
    t.view();
    await takeFacePhoto(u);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await takeIdPhoto(u);
      await screen.findByRole('heading', { name: `Result of attempt ${attempt}` });
      expect(screen.getByText('The name on your ID does not match your registered name.')).toBeVisible();
      const marked = screen.getAllByRole('mark');
      expect(marked.map((m) => m.textContent)).toEqual(['Amara (missing)', 'Okafor (missing)', 'KWAME (extra)', 'MENSAH (extra)']);
      expect(screen.getByText('“KWAME” on your ID is not in your registered name.')).toBeVisible();
      expect(screen.getByRole('button', { name: 'Continue — a proctor will verify my ID' })).toBeEnabled();
      if (attempt < 3) {
        await u.click(screen.getByRole('button', { name: `Try again (${3 - attempt} ${3 - attempt === 1 ? 'attempt' : 'attempts'} left)` }));
        expect(await screen.findByRole('heading', { name: new RegExp(`attempt ${attempt + 1} of 3`) })).toHaveFocus();
      }
    }
    expect(screen.queryByRole('button', { name: /Try again/ })).toBeNull();
    expect(screen.getByText(/You have used all 3 attempts/)).toBeVisible();
    expect(t.attempts().map((a) => a.attempt)).toEqual([1, 2, 3]);

    await u.click(screen.getByRole('button', { name: 'Continue — a proctor will verify my ID' }));
    await waitFor(() => expect(t.onDone).toHaveBeenCalled());
    expect(t.calls.find((c) => c.name === 'continueUnverified')!.body).toEqual({ reason: 'attempts_exhausted' });
    expect(t.onSessionChange).toHaveBeenCalledWith(expect.objectContaining({ checks: expect.objectContaining({ identity: 'manual_review' }) }));
  });

  it('lets the learner continue flagged after the first failed attempt', async () => {
    const t = setup({ replies: { submitIdAttempt: () => ok(attemptResult(1, {})) } });
    const u = user();
    t.view();
    await takeFacePhoto(u);
    await takeIdPhoto(u);
    await u.click(await screen.findByRole('button', { name: 'Continue — a proctor will verify my ID' }));
    await waitFor(() => expect(t.onDone).toHaveBeenCalled());
    expect(t.calls.find((c) => c.name === 'continueUnverified')!.body).toEqual({ reason: 'learner_choice' });
  });

  it('asks for a retake when the face photo shows two faces, and says why', async () => {
    const t = setup({ faces: [[face([0]), face([1])]] });
    const u = user();
    t.view();
    await pictureShows();
    await u.click(await screen.findByRole('button', { name: 'Take photo' }));
    expect(await screen.findByText(/2 faces were found in the photo/)).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Use this photo' })).toBeNull();
    await u.click(screen.getByRole('button', { name: 'Retake' }));
    expect(t.discarded).toEqual(['blob:still-1']);
    expect(screen.getByRole('button', { name: 'Take photo' })).toBeVisible();
  });

  it('shows a server error with Try again, which sends the same attempt again', async () => {
    let n = 0;
    const t = setup({
      replies: { submitIdAttempt: () => (++n === 1 ? fail('network', 'down') : ok(attemptResult(1, {}))) },
    });
    const u = user();
    t.view();
    await takeFacePhoto(u);
    await takeIdPhoto(u);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The server cannot be reached.');
    await u.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { name: 'Result of attempt 1' });
    expect(t.attempts()).toHaveLength(2);
    expect(t.attempts()[1]).toEqual(t.attempts()[0]);
  });

  it('sends the photo unread when the ID reader cannot start, and tells the learner', async () => {
    const t = setup({
      read: async () => fail('engine_unavailable', 'no engine'),
      replies: { submitIdAttempt: () => ok(attemptResult(1, { nameVerdict: 'unreadable', readName: null, differences: [] })) },
    });
    const u = user();
    t.view();
    await takeFacePhoto(u);
    await takeIdPhoto(u);
    expect(await screen.findByRole('alert')).toHaveTextContent('The ID reader could not start on this computer');
    expect(screen.getByText('Not read')).toBeVisible();
    // Nothing read: the face in the still may be the learner's own, so no face score is claimed.
    expect(t.attempts()[0]).toMatchObject({ fields: { fullName: null, nameSource: 'none' }, ocrMs: 0, idFace: null, faceDistance: null });
  });

  it('on return after passing, says so and lets the learner continue', async () => {
    const t = setup({ identity: 'passed' });
    const u = user();
    t.view();
    expect(screen.getByRole('heading', { name: 'Identity check passed' })).toBeVisible();
    await u.click(screen.getByRole('button', { name: 'Continue' }));
    expect(t.onDone).toHaveBeenCalled();
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'tesseract.js';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors';
import { decodeRgb, NodeIdentityInspector } from './identityInspector';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const ID_FRAME = readFileSync(resolve(REPO, '../shared/fixtures/ids/dev/images/dev_006.jpg'));
const quiet = { info: () => undefined, warn: () => undefined };

/**
 * An engine whose reads finish when the test says so and find no text: enough to hold the pool's
 * one worker busy. The reading pipeline itself runs on real tesseract.js in the route tests.
 */
function heldEngine() {
  const pending: (() => void)[] = [];
  const worker = {
    setParameters: () => Promise.resolve({}),
    recognize: () => new Promise((done) => pending.push(() => done({ data: { blocks: [], rotateRadians: 0 } }))),
    terminate: () => Promise.resolve({}),
  } as unknown as Worker;
  return { worker, releaseAll: () => pending.splice(0).forEach((f) => f()) };
}

describe('NodeIdentityInspector', () => {
  it('refuses with server_busy once the workers and the waiting places are taken, and reads again when they free up', async () => {
    const engine = heldEngine();
    const inspector = new NodeIdentityInspector({ ocrWorkers: 1, maxWaiting: 1, log: quiet, startOcrWorker: () => Promise.resolve(engine.worker) });
    try {
      const first = inspector.inspect(ID_FRAME, null);
      const second = inspector.inspect(ID_FRAME, null);
      const third = inspector.inspect(ID_FRAME, null);
      await expect(third).rejects.toBeInstanceOf(ApiError);
      await expect(third).rejects.toMatchObject({ code: 'server_busy', statusCode: 503 });
      // Each read takes several passes; release them until both readings are done.
      const done = Promise.all([first, second]);
      const timer = setInterval(engine.releaseAll, 5);
      const readings = await done.finally(() => clearInterval(timer));
      expect(readings.map((r) => r.fields.nameSource)).toEqual(['none', 'none']);
      const again = inspector.inspect(ID_FRAME, null);
      const timer2 = setInterval(engine.releaseAll, 5);
      await expect(again.finally(() => clearInterval(timer2))).resolves.toMatchObject({ faceDistance: null });
    } finally {
      await inspector.close();
    }
  });

  it('reads nothing from bytes that are not a decodable JPEG, without starting an engine', async () => {
    let started = 0;
    const inspector = new NodeIdentityInspector({ ocrWorkers: 1, log: quiet, startOcrWorker: () => (started++, Promise.reject(new Error('not expected'))) });
    const notAnImage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(400, 0x11)]);
    expect(decodeRgb(notAnImage)).toBeNull();
    await expect(inspector.inspect(notAnImage, null)).resolves.toMatchObject({ fields: { fullName: null, nameSource: 'none' }, faceDistance: null });
    expect(started).toBe(0);
    await inspector.close();
  });
});

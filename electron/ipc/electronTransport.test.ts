import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { channels, IPC_CHANNEL_PREFIX } from '../../shared/ipc/contract';
import { ok } from '../../shared/result';
import { silentLogger } from '../log';
import { webCapabilities } from './capabilities';
import { createEventEmitter, registerElectronTransport } from './electronTransport';
import type { Handlers } from './handlers';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const registered = new Map<string, Listener>();
  const ipcMain = {
    handle: (channel: string, listener: Listener) => {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`);
      registered.set(channel, listener);
    },
    removeHandler: (channel: string) => {
      registered.delete(channel);
    },
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>;
  return { ipcMain, registered };
}

const info = { hostKind: 'desktop' as const, appVersion: '1.0.0', platform: 'win32', capabilities: webCapabilities };
const handlers = { 'app:getInfo': async () => ok(info) } as unknown as Handlers;

const eventFrom = (url: string, isMainFrame = true): IpcMainInvokeEvent =>
  ({ senderFrame: { url, parent: isMainFrame ? null : { url } } }) as unknown as IpcMainInvokeEvent;

async function call(event: IpcMainInvokeEvent, channel = 'app:getInfo', request: unknown = {}) {
  const { ipcMain, registered } = fakeIpcMain();
  registerElectronTransport({ ipcMain, handlers, log: silentLogger });
  const listener = registered.get(IPC_CHANNEL_PREFIX + channel);
  if (!listener) throw new Error(`nothing registered for ${channel}`);
  return listener(event, request);
}

describe('electron transport', () => {
  it('registers every contract entry under the prefix and removes them again', () => {
    const { ipcMain, registered } = fakeIpcMain();
    const unregister = registerElectronTransport({ ipcMain, handlers, log: silentLogger });
    expect([...registered.keys()].sort()).toEqual(channels.map((c) => IPC_CHANNEL_PREFIX + c).sort());
    unregister();
    expect(registered.size).toBe(0);
  });

  it('answers the app page in its main frame', async () => {
    expect(await call(eventFrom('app://invigil/index.html#/exam'))).toEqual(ok(info));
  });

  it.each([
    ['a foreign origin', eventFrom('https://evil.example/index.html')],
    ['a look-alike host', eventFrom('app://invigil.evil/index.html')],
    ['file://', eventFrom('file:///C:/app/index.html')],
    ['a subframe of the app', eventFrom('app://invigil/frame.html', false)],
    ['a destroyed frame', { senderFrame: null } as unknown as IpcMainInvokeEvent],
  ])('refuses %s with forbidden_sender', async (_name, event) => {
    const result = (await call(event)) as { ok: boolean; error?: { code: string } };
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('forbidden_sender');
  });

  it('refuses the translator page, even in its main frame, for the lockdown entries too', async () => {
    for (const channel of ['lockdown:release', 'translator:setVisible', 'system:probe']) {
      const result = (await call(eventFrom('https://translate.google.com/?sl=en'), channel, { sessionId: 's1', visible: false })) as {
        error?: { code: string };
      };
      expect(result.error?.code).toBe('forbidden_sender');
    }
  });

  it('still validates the payload for the app page', async () => {
    const result = (await call(eventFrom('app://invigil/index.html'), 'answers:ack', { sessionId: 's', sequences: [] })) as {
      error?: { code: string };
    };
    expect(result.error?.code).toBe('invalid_request');
  });
});

describe('event emitter', () => {
  it('sends valid events to app pages only', () => {
    const sent: [string, string, unknown][] = [];
    const contents = (url: string, destroyed = false) =>
      ({
        getURL: () => url,
        isDestroyed: () => destroyed,
        send: (channel: string, payload: unknown) => sent.push([url, channel, payload]),
      }) as unknown as WebContents;
    const emit = createEventEmitter({
      targets: () => [contents('app://invigil/index.html'), contents('https://translate.google.com/'), contents('app://invigil/x', true)],
      log: silentLogger,
    });
    emit('power:onChange', { state: 'suspend' });
    emit('power:onChange', { state: 'melted' } as unknown as { state: 'suspend' });
    expect(sent).toEqual([['app://invigil/index.html', 'invigil:power:onChange', { state: 'suspend' }]]);
  });
});

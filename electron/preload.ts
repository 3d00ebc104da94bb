import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL_PREFIX } from '../shared/ipc/contract';
import { buildHostApi } from './ipc/preloadApi';

// Sandboxed preload: exposes only the typed contract as `window.invigil`, never ipcRenderer itself,
// and never hands the renderer an IpcRendererEvent (it carries `sender`).
contextBridge.exposeInMainWorld(
  'invigil',
  buildHostApi(
    (channel, request) => ipcRenderer.invoke(IPC_CHANNEL_PREFIX + channel, request),
    (event, listener) => {
      const channel = IPC_CHANNEL_PREFIX + event;
      const forward = (_event: Electron.IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => {
        ipcRenderer.removeListener(channel, forward);
      };
    },
  ),
);

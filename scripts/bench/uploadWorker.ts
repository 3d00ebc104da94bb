// One upload through the desktop host's own uploader (TusUploader), in its own process so the
// benchmark can kill it mid-upload. Prints JSON lines: {"progress": bytes} … {"done": true, "resumed": bool, "ms": upload time}.
import { FsRecordingJournal } from '../../electron/services/recordingJournal';
import { TusUploader } from '../../electron/services/uploader';
import { silentLogger } from '../../electron/log';

interface WorkerArgs {
  readonly dataDir: string;
  readonly path: string;
  readonly endpoint: string;
  readonly token: string;
  readonly metadata: Record<string, string>;
  /** Bytes between progress lines (4 MB unless the bench asks for finer steps). */
  readonly reportEveryBytes?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const journal = new FsRecordingJournal({ dataDir: args.dataDir, now: Date.now, log: silentLogger });
const uploader = new TusUploader({ dataDir: args.dataDir, journal, emit: () => undefined, log: silentLogger, now: Date.now, random: Math.random });
await uploader.start(); // as every composition root does: prepares its folder and resumable-URL store
const reportEvery = args.reportEveryBytes ?? 4 * 1024 * 1024;
let lastReport = 0;
const started = performance.now();
const result = await uploader.uploadFile({
  path: args.path,
  metadata: args.metadata,
  endpoint: args.endpoint,
  token: args.token,
  onProgress: (sent) => {
    if (sent - lastReport >= reportEvery) {
      lastReport = sent;
      process.stdout.write(JSON.stringify({ progress: sent }) + '\n');
    }
  },
});
const ms = performance.now() - started;
process.stdout.write(JSON.stringify(result.ok ? { done: true, resumed: result.value.resumed, ms } : { error: result.error.message }) + '\n');
await uploader.close();
